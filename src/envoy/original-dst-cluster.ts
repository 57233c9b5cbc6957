// An IR original-destination cluster -> envoy.config.cluster.v3.Cluster of type ORIGINAL_DST: no endpoints
// of its own, each connection goes to the address the original_dst listener filter restored.
import type { IrOriginalDstCluster } from '../ir/clusters';
import type { Cluster } from '../xds/types';
import { durationMs } from './common';

export function buildOriginalDstCluster(ir: IrOriginalDstCluster): Cluster {
  return {
    name: ir.name,
    type: 'ORIGINAL_DST',
    // The only policy Envoy allows for it: the listener, not a balancer, picks the host.
    lb_policy: 'CLUSTER_PROVIDED',
    connect_timeout: durationMs(ir.connectTimeoutMs),
  };
}
