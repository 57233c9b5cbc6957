// What an LB policy plug-in is: what it adds to a Cluster for one IR LbPolicy. Route hash policies come
// from the IR cluster's hashOn (../route-hash.ts); a plug-in only shapes the cluster.
import type { Cluster } from '../../xds/types';
import type { IrCluster, LbPolicy } from '../../ir/clusters';

export interface LbPolicyPlugin {
  policy: LbPolicy;
  /** Sets the cluster's balancer fields. */
  apply(cluster: Cluster, ir: IrCluster): void;
}
