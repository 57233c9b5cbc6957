// The IR of one node group: everything its data plane receives, as plain data. Front-ends produce the pieces
// (listeners with their routes, clusters, endpoints, secrets); the Envoy back-end (src/envoy/group.ts) turns a
// GroupIr into the group's resources and reads nothing else.
import type { IrCluster, IrEndpoints, IrOriginalDstCluster } from './clusters';
import type { IrSecret } from './http';
import type { IrListener } from './listeners';

export interface GroupIr {
  listeners: IrListener[];
  clusters: IrCluster[];
  endpoints: IrEndpoints[];
  secrets: IrSecret[];
  /** Clusters that send each connection to its original destination (sidecars in transparent mode). */
  originalDstClusters?: IrOriginalDstCluster[];
}

export function emptyGroupIr(): GroupIr {
  return { listeners: [], clusters: [], endpoints: [], secrets: [] };
}
