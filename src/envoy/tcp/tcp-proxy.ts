// One IR TCP route -> the tcp_proxy network filter: the whole connection to one cluster, or to one of several
// by weight (chosen per connection), with an idle timeout, the L4 access log, and a source-address hash for
// ClientIP affinity.
import type { Filter } from '../../generated/envoy/config/listener/v3/Filter';
import type { TcpProxy } from '../../generated/envoy/extensions/filters/network/tcp_proxy/v3/TcpProxy';
import type { IrTcpRoute } from '../../ir/listeners';
import { pack } from '../../xds/encode';
import { durationMs } from '../common';
import { l4AccessLog } from './access-log';

/** Envoy's own default; said out loud so the config shows what a connection gets. */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 3_600_000;

/** Stat prefixes are dotted names in Envoy's stats: anything else becomes "_". */
export function l4StatPrefix(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}

export function tcpProxyConfig(route: IrTcpRoute): TcpProxy {
  // A weight of 0 takes no connection; Envoy's weighted_clusters refuses it (gte 1), so it is left out.
  const live = route.backends.filter((b) => b.weight > 0);
  if (live.length === 0)
    throw new Error(`tcp route ${route.name} has no backend with a weight above 0`);
  const target: Pick<TcpProxy, 'cluster' | 'weighted_clusters'> =
    live.length === 1
      ? { cluster: live[0]!.cluster }
      : { weighted_clusters: { clusters: live.map((b) => ({ name: b.cluster, weight: b.weight })) } };
  return {
    stat_prefix: l4StatPrefix(route.name),
    ...target,
    idle_timeout: durationMs(route.idleTimeoutMs ?? DEFAULT_TCP_IDLE_TIMEOUT_MS),
    ...(route.hashSourceIp ? { hash_policy: [{ source_ip: {} }] } : {}),
    ...(route.accessLog === false ? {} : { access_log: [l4AccessLog()] }),
  };
}

export function tcpProxyNetworkFilter(route: IrTcpRoute): Filter {
  return {
    name: 'envoy.filters.network.tcp_proxy',
    typed_config: pack('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', tcpProxyConfig(route)),
  };
}
