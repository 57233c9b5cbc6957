// Typed Envoy objects built from IR, memoized by the identity of the IR object (see identity-memo.ts): the
// catalog keeps an IrCluster/IrEndpoints object until its inputs change, so these return the same Cluster
// and ClusterLoadAssignment object across builds, which the snapshot then neither re-encodes nor re-hashes.
import type { Cluster, ClusterLoadAssignment } from '../xds/types';
import type { IrCluster, IrEndpoints } from './ir';
import { buildCluster, type ClusterOptions } from './envoy/cluster';
import { buildLoadAssignment } from './envoy/endpoint';
import { IdentityMemo } from './identity-memo';

const clusters = new IdentityMemo<IrCluster, Cluster>();
const proxylessClusters = new IdentityMemo<IrCluster, Cluster>();
const assignments = new IdentityMemo<IrEndpoints, ClusterLoadAssignment>();

/** Memoized buildCluster; a new ClusterOptions field must get its own memo here (the key is the IR object). */
export function clusterFor(ir: IrCluster, options: ClusterOptions = {}): Cluster {
  const memo = options.proxyless ? proxylessClusters : clusters;
  return memo.get(ir, [], () => buildCluster(ir, options));
}

export function loadAssignmentFor(ir: IrEndpoints): ClusterLoadAssignment {
  return assignments.get(ir, [], () => buildLoadAssignment(ir));
}
