// LB policy plug-in "ring-hash": Consistent hashing on the route's hash policies (Envoy; grpc-js-xds, gRFC A42).
import type { LbPolicyPlugin } from './lb-policy';

export const ringHash: LbPolicyPlugin = {
  policy: 'ring-hash',
  apply(cluster) {
    cluster.lb_policy = 'RING_HASH';
  },
};
