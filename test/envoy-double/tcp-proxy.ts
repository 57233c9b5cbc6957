// The double's tcp_proxy network filter: a connection (its peeked first bytes replayed) goes whole to one
// host of the chain's cluster, chosen per connection by weight (weighted_clusters, with the double's draw)
// and round robin (an ORIGINAL_DST cluster's host is the connection's original destination), and the bytes
// are relayed both ways untouched. A cluster that is missing or still warming,
// or without a usable host, closes the connection, as Envoy's NoClusterFound / NoHealthyUpstream do.
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { FilterChain } from '../../src/generated/envoy/config/listener/v3/FilterChain';
import type { TcpProxy } from '../../src/generated/envoy/extensions/filters/network/tcp_proxy/v3/TcpProxy';
import type { ConfigStore } from './config-store';
import { clusterHosts, type RoundRobin } from './endpoints';
import { anyFields, anyTypeUrl } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';
import type { Destination } from './original-dst';

export interface TcpProxyDeps {
  config: ConfigStore;
  roundRobin: RoundRobin;
  random: () => number;
}

export function chainTcpProxy(chain: FilterChain): TcpProxy | undefined {
  const filter = (chain.filters ?? []).find((f) => anyTypeUrl(f.typed_config) === DOUBLE_TYPE_URLS.tcpProxy);
  return filter ? anyFields<TcpProxy>(filter.typed_config) : undefined;
}

/** The cluster a connection gets: the one named, or a weighted draw over [0, sum of weights). */
function pickCluster(proxy: TcpProxy, random: () => number): string | undefined {
  if (proxy.cluster) return proxy.cluster;
  const clusters = proxy.weighted_clusters?.clusters ?? [];
  const total = clusters.reduce((sum, c) => sum + Number(c.weight ?? 0), 0);
  let draw = Math.floor(random() * total);
  for (const c of clusters) {
    draw -= Number(c.weight ?? 0);
    if (draw < 0) return c.name;
  }
  return undefined;
}

export async function proxyTcp(
  downstream: Duplex,
  proxy: TcpProxy,
  deps: TcpProxyDeps,
  original?: Destination,
): Promise<void> {
  const name = pickCluster(proxy, deps.random);
  const cluster = name ? deps.config.activeCluster(name) : undefined;
  if (!cluster) return void downstream.destroy();
  // ORIGINAL_DST: no hosts of its own; a connection that was not redirected has nowhere to go.
  const host =
    cluster.type === 'ORIGINAL_DST'
      ? original
      : deps.roundRobin.pick(cluster, await clusterHosts(cluster, deps.config.endpoints(cluster)));
  if (!host) return void downstream.destroy();
  const upstream = net.connect({ host: host.address, port: host.port });
  upstream.on('error', () => downstream.destroy());
  downstream.on('error', () => upstream.destroy());
  downstream.on('close', () => upstream.destroy());
  upstream.on('close', () => downstream.destroy());
  downstream.pipe(upstream);
  upstream.pipe(downstream);
}
