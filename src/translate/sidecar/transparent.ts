// A transparent-mode sidecar's IR (pod annotated kxds.io/capture: iptables: iptables hands the app's
// outbound connections to 15001 and inbound ones to 15006, each with its original destination).
// Outbound, per visible Service port, by what the port says it carries (port-traffic.ts):
//   HTTP: connections to the Service's ClusterIPs on that port get an HTTP connection manager whose routes
//         (`outbound|PORT`) know each Service of the port by name and by ClusterIP:PORT; TLS sent there is
//         relayed to the Service as TCP, not parsed;
//   TLS:  relayed undecrypted to the Service's endpoints, by ClusterIP, or by SNI (the Service's names) when
//         dialled at another address;
//   TCP:  relayed to the Service's endpoints (tcp_proxy), by ClusterIP.
// Anything else (headless Services' pods, addresses outside the cluster) goes on to its original destination.
// Inbound connections go to the pod's own port on their original destination, as TCP whatever they carry.
import type { GroupIr } from '../../ir/group';
import type { IrCluster, IrOriginalDstCluster } from '../../ir/clusters';
import type { IrRouteConfig, IrVirtualHost } from '../../ir/http';
import type { IrTransparentChain, IrTransparentListener, IrTcpRoute } from '../../ir/listeners';
import type { Service } from '../../model/k8s';
import { SIDECAR_INBOUND_PORT, SIDECAR_OUTBOUND_PORT } from '../../bootstrap/constants';
import { nodeGroupKey, type SidecarGroup } from '../../xds/node-group';
import { serviceHostNames } from '../names';
import type { CatalogEntry } from '../service-catalog';
import { portTraffic, type PortTraffic } from './port-traffic';
import { routeClusters } from './route-clusters';
import { injectsFaults, memoHosts, memoVirtualHost, type SidecarInputs } from './inputs';

export const PASSTHROUGH_CLUSTER = 'passthrough';
export const INBOUND_PASSTHROUGH_CLUSTER = 'inbound-passthrough';
/** Constant IR (the same objects every build, so the back-end never builds them again). */
const INBOUND_LISTENER: IrTransparentListener = Object.freeze({
  kind: 'transparent',
  name: 'inbound',
  address: '0.0.0.0',
  port: SIDECAR_INBOUND_PORT,
  chains: [],
  passthroughCluster: INBOUND_PASSTHROUGH_CLUSTER,
  tlsPorts: [],
});
const ORIGINAL_DST_CLUSTERS: readonly IrOriginalDstCluster[] = Object.freeze(
  [PASSTHROUGH_CLUSTER, INBOUND_PASSTHROUGH_CLUSTER].map((name) =>
    Object.freeze({ name, connectTimeoutMs: 5000 }),
  ),
);

/** The Service's cluster addresses (both families); none for a headless Service. */
function clusterAddresses(service: Service): string[] {
  const ips = [service.spec.clusterIP, ...(service.spec.clusterIPs ?? [])].filter(
    (ip): ip is string => !!ip && ip !== 'None',
  );
  return [...new Set(ips)];
}

/** A chain's tcp_proxy to `cluster`; ClientIP affinity hashes the connection's source, as on HTTP routes. */
function tcpRoute(name: string, cluster: IrCluster): IrTcpRoute {
  const affinity = (cluster.hashOn ?? []).some((h) => h.kind === 'source-ip');
  return {
    name,
    backends: [{ cluster: cluster.name, weight: 1 }],
    accessLog: false,
    ...(affinity ? { hashSourceIp: true } : {}),
  };
}

/** The port's cluster as a tcp_proxy uses it: opaque bytes, so no HTTP options and no TLS of its own. */
function tcpCluster(inputs: SidecarInputs, cluster: IrCluster): IrCluster {
  if (cluster.protocol === 'tcp') return cluster;
  return inputs.memos.sidecarTcpClusters.get(cluster.name, [cluster], () => ({
    ...cluster,
    protocol: 'tcp',
  }));
}

/** One visible Service port as the transparent listener treats it. */
interface PortPlan {
  entry: CatalogEntry;
  traffic: PortTraffic;
  /** The cluster its chains use (for relayed ports, the TCP variant). */
  cluster: IrCluster;
  addresses: string[];
}

export function transparentIr(
  group: SidecarGroup,
  entries: readonly CatalogEntry[],
  inputs: SidecarInputs,
): GroupIr {
  // First every memoized piece this build uses (so none is swept), then the listener from them.
  const plans: PortPlan[] = entries.map((entry) => {
    const traffic = portTraffic(entry.service, entry.port);
    const cluster = traffic === 'http' ? entry.cluster : tcpCluster(inputs, entry.cluster);
    return { entry, traffic, cluster, addresses: clusterAddresses(entry.service) };
  });
  const hostsByPort = new Map<number, IrVirtualHost[]>();
  for (const { entry, traffic, addresses } of plans) {
    if (traffic !== 'http' || addresses.length === 0) continue;
    const port = entry.cluster.ref.port;
    const ipDomains = addresses.map((ip) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`));
    const host = memoVirtualHost(inputs, entry, group.namespace, ipDomains);
    hostsByPort.set(port, [...(hostsByPort.get(port) ?? []), host]);
  }
  const routesByPort = new Map<number, IrRouteConfig>();
  for (const [port, hosts] of [...hostsByPort].sort(([a], [b]) => a - b)) {
    const name = `outbound|${port}`;
    routesByPort.set(port, {
      name,
      virtualHosts: memoHosts(inputs, `${nodeGroupKey(group)}\u0000${name}`, hosts),
    });
  }
  // The listener is the same object while its inputs are (the back-end keys on it): no chain is rebuilt,
  // and no listener JSON made, for a build that changes nothing here.
  const deps = [
    ...plans.flatMap((p) => [p.entry.service, p.cluster]),
    ...[...routesByPort.values()].map((r) => r.virtualHosts),
  ];
  const outbound = inputs.memos.sidecarTransparentListeners.get(nodeGroupKey(group), deps, () =>
    outboundListener(group, plans, routesByPort),
  );
  const vhosts = [...hostsByPort.values()].flat();
  const clusters = plans.map((p) => p.cluster);
  const extra = routeClusters(
    vhosts,
    new Set(clusters.map((c) => c.name)),
    inputs.mesh,
    inputs.catalog,
    inputs.memos,
  );
  return {
    listeners: [outbound, INBOUND_LISTENER],
    clusters: [...clusters, ...extra.clusters],
    endpoints: [...entries.map((e) => e.endpoints), ...extra.endpoints],
    secrets: [],
    originalDstClusters: [...ORIGINAL_DST_CLUSTERS],
  };
}

/** The outbound listener's chains, per port plan (see the module comment), sorted by port then name. */
function outboundListener(
  group: SidecarGroup,
  plans: readonly PortPlan[],
  routesByPort: ReadonlyMap<number, IrRouteConfig>,
): IrTransparentListener {
  const chains: IrTransparentChain[] = [];
  const tlsPorts = new Set<number>();
  for (const { entry, traffic, cluster, addresses } of plans) {
    const { port } = entry.cluster.ref;
    const name = entry.cluster.name;
    const routes = routesByPort.get(port);
    if (traffic === 'http') {
      if (!routes || addresses.length === 0) continue;
      const faults = injectsFaults(routes.virtualHosts) ? { faultInjection: true } : {};
      chains.push({ name, port, addresses, handler: { kind: 'http', routes, ...faults } });
      const tls = `${name}/tls`;
      chains.push({ name: tls, port, addresses, handler: { kind: 'tcp', route: tcpRoute(tls, cluster) } });
      tlsPorts.add(port);
      continue;
    }
    if (addresses.length > 0)
      chains.push({ name, port, addresses, handler: { kind: 'tcp', route: tcpRoute(name, cluster) } });
    if (traffic === 'tls') {
      const { namespace, service } = entry.cluster.ref;
      const sni = [
        ...serviceHostNames(namespace, service),
        ...(namespace === group.namespace ? [service] : []),
      ];
      const byName = `${name}/sni`;
      chains.push({
        name: byName,
        port,
        addresses: [],
        sni,
        handler: { kind: 'tcp', route: tcpRoute(byName, cluster) },
      });
      tlsPorts.add(port);
    }
  }
  chains.sort((a, b) => a.port - b.port || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    kind: 'transparent',
    name: 'outbound-transparent',
    address: '0.0.0.0',
    port: SIDECAR_OUTBOUND_PORT,
    chains,
    passthroughCluster: PASSTHROUGH_CLUSTER,
    tlsPorts: [...tlsPorts].sort((a, b) => a - b),
  };
}
