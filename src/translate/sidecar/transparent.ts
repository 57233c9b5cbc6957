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
import type { IrVirtualHost } from '../../ir/http';
import type { IrTransparentChain, IrTcpRoute } from '../../ir/listeners';
import type { Service } from '../../model/k8s';
import { SIDECAR_INBOUND_PORT, SIDECAR_OUTBOUND_PORT } from '../../bootstrap/constants';
import { nodeGroupKey, type SidecarGroup } from '../../xds/node-group';
import { serviceHostNames } from '../names';
import type { CatalogEntry } from '../service-catalog';
import { portTraffic } from './port-traffic';
import { routeClusters } from './route-clusters';
import { memoHosts, memoVirtualHost, type SidecarInputs } from './inputs';

export const PASSTHROUGH_CLUSTER = 'passthrough';
export const INBOUND_PASSTHROUGH_CLUSTER = 'inbound-passthrough';
/** Constant IR (the same objects every build, so the back-end never builds them again). */
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

function tcpRoute(name: string, cluster: string): IrTcpRoute {
  return { name, backends: [{ cluster, weight: 1 }], accessLog: false };
}

/** The port's cluster as a tcp_proxy uses it: opaque bytes, so no HTTP options and no TLS of its own. */
function tcpCluster(inputs: SidecarInputs, cluster: IrCluster): IrCluster {
  if (cluster.protocol === 'tcp') return cluster;
  return inputs.memos.sidecarTcpClusters.get(cluster.name, [cluster], () => ({
    ...cluster,
    protocol: 'tcp',
  }));
}

export function transparentIr(
  group: SidecarGroup,
  entries: readonly CatalogEntry[],
  inputs: SidecarInputs,
): GroupIr {
  const chains: IrTransparentChain[] = [];
  const tlsPorts = new Set<number>();
  const hostsByPort = new Map<number, IrVirtualHost[]>();
  const clusters: IrCluster[] = [];
  for (const entry of entries) {
    const traffic = portTraffic(entry.service, entry.port);
    const addresses = clusterAddresses(entry.service);
    const { port } = entry.cluster.ref;
    const name = entry.cluster.name;
    if (traffic === 'http') {
      clusters.push(entry.cluster);
      if (addresses.length === 0) continue;
      const ipDomains = addresses.map((ip) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`));
      hostsByPort.set(port, [
        ...(hostsByPort.get(port) ?? []),
        memoVirtualHost(inputs, entry, group.namespace, ipDomains),
      ]);
      const routes = { name: `outbound|${port}`, virtualHosts: [] };
      chains.push({ name, port, addresses, handler: { kind: 'http', routes } });
      chains.push({
        name: `${name}/tls`,
        port,
        addresses,
        handler: { kind: 'tcp', route: tcpRoute(`${name}/tls`, name) },
      });
      tlsPorts.add(port);
      continue;
    }
    clusters.push(tcpCluster(inputs, entry.cluster));
    if (addresses.length > 0)
      chains.push({ name, port, addresses, handler: { kind: 'tcp', route: tcpRoute(name, name) } });
    if (traffic === 'tls') {
      const { namespace, service } = entry.cluster.ref;
      const sni = [
        ...serviceHostNames(namespace, service),
        ...(namespace === group.namespace ? [service] : []),
      ];
      chains.push({
        name: `${name}/sni`,
        port,
        addresses: [],
        sni,
        handler: { kind: 'tcp', route: tcpRoute(`${name}/sni`, name) },
      });
      tlsPorts.add(port);
    }
  }
  // Every HTTP chain of a port shares the port's route configuration.
  for (const chain of chains)
    if (chain.handler.kind === 'http') {
      const routeName = chain.handler.routes.name;
      const hosts = memoHosts(
        inputs,
        `${nodeGroupKey(group)}\u0000${routeName}`,
        hostsByPort.get(chain.port) ?? [],
      );
      chain.handler = { kind: 'http', routes: { name: routeName, virtualHosts: hosts } };
    }
  chains.sort((a, b) => a.port - b.port || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const vhosts = [...hostsByPort.values()].flat();
  const extra = routeClusters(
    vhosts,
    new Set(clusters.map((c) => c.name)),
    inputs.mesh,
    inputs.catalog,
    inputs.memos,
  );
  return {
    listeners: [
      {
        kind: 'transparent',
        name: 'outbound-transparent',
        address: '0.0.0.0',
        port: SIDECAR_OUTBOUND_PORT,
        chains,
        passthroughCluster: PASSTHROUGH_CLUSTER,
        tlsPorts: [...tlsPorts].sort((a, b) => a - b),
      },
      {
        kind: 'transparent',
        name: 'inbound',
        address: '0.0.0.0',
        port: SIDECAR_INBOUND_PORT,
        chains: [],
        passthroughCluster: INBOUND_PASSTHROUGH_CLUSTER,
        tlsPorts: [],
      },
    ],
    clusters: [...clusters, ...extra.clusters],
    endpoints: [...entries.map((e) => e.endpoints), ...extra.endpoints],
    secrets: [],
    originalDstClusters: [...ORIGINAL_DST_CLUSTERS],
  };
}
