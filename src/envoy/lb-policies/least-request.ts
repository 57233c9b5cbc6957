// LB policy plug-in "least-request": Least request (Envoy only: gRPC clients NACK it as lb_policy).
import type { LbPolicyPlugin } from './lb-policy';

export const leastRequest: LbPolicyPlugin = {
  policy: 'least-request',
  apply(cluster) {
    cluster.lb_policy = 'LEAST_REQUEST';
  },
};
