// Typed Envoy objects built from the catalog's IR, memoized (see memo.ts) by resource name and the identity
// of the IR object: the catalog keeps an IrCluster/IrEndpoints object until its inputs change, so these
// return the same Cluster and ClusterLoadAssignment object across builds, which the snapshot then neither
// re-encodes nor re-hashes.
import type { Cluster, ClusterLoadAssignment } from '../xds/types';
import type { IrCluster, IrEndpoints } from '../ir/clusters';
import { buildCluster } from '../envoy/cluster';
import { buildLoadAssignment } from '../envoy/endpoint';
import type { DialectId } from './dialects/dialect';
import type { TranslationMemos } from './translation-memos';

/** The Cluster for an IR cluster already shaped for `dialect` (one entry per dialect and name). */
export function clusterFor(memos: TranslationMemos, ir: IrCluster, dialect: DialectId = 'envoy'): Cluster {
  return memos.clusters.get(`${dialect}\u0000${ir.name}`, [ir], () =>
    buildCluster(ir, { proxyless: dialect !== 'envoy' }),
  );
}

export function loadAssignmentFor(memos: TranslationMemos, ir: IrEndpoints): ClusterLoadAssignment {
  return memos.assignments.get(ir.clusterName, [ir], () => buildLoadAssignment(ir));
}
