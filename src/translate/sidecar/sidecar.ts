// Sidecar Envoy config for one group (namespace + mode + egress list).
// Explicit mode (default, no privileges): one HTTP listener on 127.0.0.1:15001; the app dials it with the
// Service name as authority (e.g. grpc target "127.0.0.1:15001" with authority "greeter.demo:50051") and every
// request is balanced over the Service's endpoints.
// Transparent mode (iptables capture): an outbound listener on 15001 that dispatches on the original
// destination port, with a pass-through default, and an inbound listener on 15006 that hands connections to
// the pod's own ports.
import type { Listener, ResourceSet } from '../../xds/types';
import { emptyResourceSet } from '../../xds/types';
import type { ModelView } from '../../model/store';
import { nodeGroupKey, type SidecarGroup } from '../../xds/node-group';
import type { CatalogEntry } from '../service-catalog';
import { clusterFor, loadAssignmentFor } from '../built-resources';
import { durationMs } from '../../envoy/common';
import { hcmFilter, rdsConnectionManager, tcpProxyFilter } from '../../envoy/http/hcm';
import { pack } from '../../xds/encode';
import { visibleEntries } from './visibility';
import { serviceVirtualHost } from './virtual-hosts';
import type { VirtualHost } from '../../generated/envoy/config/route/v3/VirtualHost';
import type { RouteConfiguration } from '../../xds/types';
import type { TranslationMemos } from '../translation-memos';

// Memos so that an endpoint-only change rebuilds no route: virtual hosts by namespace variant and cluster
// (on the IR cluster's identity and the inputs that vary per group), route configurations by group and
// route name (on their virtual hosts' identities).
function memoVirtualHost(
  memos: TranslationMemos,
  entry: CatalogEntry,
  namespace: string,
  extraDomains: string[] = [],
): VirtualHost {
  const key = `${namespace}${extraDomains.length > 0 ? '/transparent' : ''}\u0000${entry.cluster.name}`;
  return memos.sidecarVirtualHosts.get(key, [entry.cluster, entry.portIndex, extraDomains.join(',')], () =>
    serviceVirtualHost(entry, namespace, extraDomains),
  );
}

function memoRoute(
  memos: TranslationMemos,
  groupKey: string,
  name: string,
  hosts: VirtualHost[],
): RouteConfiguration {
  return memos.sidecarRoutes.get(`${groupKey}\u0000${name}`, hosts, () => ({ name, virtual_hosts: hosts }));
}

export const SIDECAR_OUTBOUND_PORT = 15001;
export const SIDECAR_INBOUND_PORT = 15006;
export const PASSTHROUGH_CLUSTER = 'passthrough';
export const INBOUND_PASSTHROUGH_CLUSTER = 'inbound-passthrough';
export const OUTBOUND_ROUTE = 'outbound';

export function translateSidecar(
  model: ModelView,
  group: SidecarGroup,
  catalog: readonly CatalogEntry[],
  memos: TranslationMemos,
): ResourceSet {
  const out = emptyResourceSet();
  const entries = visibleEntries(model, group, catalog);
  for (const entry of entries) {
    // Memoized on the catalog's IR objects: an unchanged Service is not encoded again.
    out.cluster.set(entry.cluster.name, clusterFor(memos, entry.cluster));
    out.endpoint.set(entry.cluster.name, loadAssignmentFor(memos, entry.endpoints));
  }
  if (group.transparent) addTransparent(out, group, entries, memos);
  else addExplicit(out, group, entries, memos);
  return out;
}

function addExplicit(
  out: ResourceSet,
  group: SidecarGroup,
  entries: readonly CatalogEntry[],
  memos: TranslationMemos,
): void {
  out.listener.set(
    'outbound',
    memos.sidecarListeners.get('explicit/outbound', [], () => ({
      name: 'outbound',
      address: { socket_address: { address: '127.0.0.1', port_value: SIDECAR_OUTBOUND_PORT } },
      filter_chains: [{ filters: [hcmFilter(rdsConnectionManager('outbound', OUTBOUND_ROUTE))] }],
    })),
  );
  out.route.set(
    OUTBOUND_ROUTE,
    memoRoute(
      memos,
      nodeGroupKey(group),
      OUTBOUND_ROUTE,
      entries.map((e) => memoVirtualHost(memos, e, group.namespace)),
    ),
  );
}

function originalDstCluster(name: string) {
  return {
    name,
    type: 'ORIGINAL_DST' as const,
    lb_policy: 'CLUSTER_PROVIDED' as const,
    connect_timeout: durationMs(5000),
  };
}

function addTransparent(
  out: ResourceSet,
  group: SidecarGroup,
  entries: readonly CatalogEntry[],
  memos: TranslationMemos,
): void {
  for (const name of [PASSTHROUGH_CLUSTER, INBOUND_PASSTHROUGH_CLUSTER])
    out.cluster.set(
      name,
      memos.sidecarClusters.get(name, [], () => originalDstCluster(name)),
    );
  const byPort = new Map<number, CatalogEntry[]>();
  for (const e of entries) byPort.set(e.cluster.ref.port, [...(byPort.get(e.cluster.ref.port) ?? []), e]);
  const ports = [...byPort.keys()].sort((a, b) => a - b);
  for (const port of ports) {
    const routeName = `outbound|${port}`;
    out.route.set(
      routeName,
      memoRoute(
        memos,
        nodeGroupKey(group),
        routeName,
        (byPort.get(port) ?? []).map((e) => {
          const ips = [e.service.spec.clusterIP, ...(e.service.spec.clusterIPs ?? [])].filter(
            (ip): ip is string => !!ip && ip !== 'None',
          );
          const ipDomains = [...new Set(ips)].map((ip) =>
            ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`,
          );
          return memoVirtualHost(memos, e, group.namespace, ipDomains);
        }),
      ),
    );
  }
  const outbound: Listener = memos.sidecarListeners.get(
    `${nodeGroupKey(group)}/outbound`,
    [ports.join(',')],
    () => ({
      name: 'outbound-transparent',
      address: { socket_address: { address: '0.0.0.0', port_value: SIDECAR_OUTBOUND_PORT } },
      listener_filters: [originalDstFilter()],
      filter_chains: ports.map((port) => ({
        name: `outbound|${port}`,
        filter_chain_match: { destination_port: { value: port } },
        filters: [hcmFilter(rdsConnectionManager(`outbound_${port}`, `outbound|${port}`))],
      })),
      default_filter_chain: {
        name: 'passthrough',
        filters: [tcpProxyFilter('passthrough', PASSTHROUGH_CLUSTER)],
      },
    }),
  );
  out.listener.set(outbound.name as string, outbound);
  out.listener.set(
    'inbound',
    memos.sidecarListeners.get('transparent/inbound', [], () => ({
      name: 'inbound',
      address: { socket_address: { address: '0.0.0.0', port_value: SIDECAR_INBOUND_PORT } },
      listener_filters: [originalDstFilter()],
      filter_chains: [{ name: 'inbound', filters: [tcpProxyFilter('inbound', INBOUND_PASSTHROUGH_CLUSTER)] }],
    })),
  );
}

function originalDstFilter() {
  return {
    name: 'envoy.filters.listener.original_dst',
    typed_config: pack('envoy.extensions.filters.listener.original_dst.v3.OriginalDst', {}),
  };
}
