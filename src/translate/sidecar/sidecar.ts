// The sidecar view: a sidecar group (namespace + capture mode + egress list) -> its GroupIr, which the Envoy
// back-end (src/envoy/group.ts) turns into resources.
// Explicit mode (default, no privileges): one HTTP listener on 127.0.0.1:15001; the app dials it with the
// Service name as authority (e.g. grpc target "127.0.0.1:15001" with authority "greeter.demo:50051") and every
// request is balanced over the Service's endpoints. A request is HTTP because the app chose to send it there.
// Transparent mode (iptables capture): see transparent.ts.
// IR objects are memoized on their inputs (the catalog keeps an unchanged Service's IR objects), and the
// back-end keys on IR identity, so a build that changes nothing for a group builds nothing.
import type { ResourceSet } from '../../xds/types';
import { nodeGroupKey, type SidecarGroup } from '../../xds/node-group';
import type { GroupIr } from '../../ir/group';
import { SIDECAR_OUTBOUND_PORT } from '../../bootstrap/constants';
import { groupResources } from '../../envoy/group';
import type { CatalogEntry } from '../service-catalog';
import { visibleEntries } from './visibility';
import { routeClusters } from './route-clusters';
import { transparentIr } from './transparent';
import { injectsFaults, memoHosts, memoVirtualHost, type SidecarInputs } from './inputs';

export type { SidecarInputs } from './inputs';

export const OUTBOUND_ROUTE = 'outbound';

export function sidecarIr(group: SidecarGroup, inputs: SidecarInputs): GroupIr {
  const entries = visibleEntries(inputs.model, group, inputs.catalog);
  return group.transparent ? transparentIr(group, entries, inputs) : explicitIr(group, entries, inputs);
}

function explicitIr(group: SidecarGroup, entries: readonly CatalogEntry[], inputs: SidecarInputs): GroupIr {
  const hosts = memoHosts(
    inputs,
    `${nodeGroupKey(group)}\u0000${OUTBOUND_ROUTE}`,
    entries.map((e) => memoVirtualHost(inputs, e, group.namespace)),
  );
  const extra = routeClusters(
    hosts,
    new Set(entries.map((e) => e.cluster.name)),
    inputs.mesh,
    inputs.catalog,
    inputs.memos,
  );
  return {
    listeners: [
      {
        kind: 'http',
        name: 'outbound',
        address: '127.0.0.1',
        port: SIDECAR_OUTBOUND_PORT,
        facing: 'sidecar',
        routes: { name: OUTBOUND_ROUTE, virtualHosts: hosts },
        ...(injectsFaults(hosts) ? { faultInjection: true } : {}),
      },
    ],
    clusters: [...entries.map((e) => e.cluster), ...extra.clusters],
    endpoints: [...entries.map((e) => e.endpoints), ...extra.endpoints],
    secrets: [],
  };
}

export function translateSidecar(group: SidecarGroup, inputs: SidecarInputs): ResourceSet {
  const memos = group.transparent ? inputs.memos.sidecarTransparent : inputs.memos.sidecarExplicit;
  // Listeners and routes differ per group; clusters are the same IR objects in every group of a mode.
  return groupResources(sidecarIr(group, inputs), memos, {
    memoPrefix: `${nodeGroupKey(group)}|`,
    clusterMemoPrefix: '',
    byIdentity: true,
  });
}
