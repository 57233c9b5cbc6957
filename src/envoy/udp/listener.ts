// An IR "udp" listener -> envoy.config.listener.v3.Listener on a UDP socket. UDP has no filter chains: the
// udp_proxy is a listener filter that keeps a session per client address and sends its datagrams to one
// cluster, named through the filter's matcher (its "cluster" field is deprecated) as the no-match action.
import type { IrUdpListener } from '../../ir/listeners';
import type { UdpProxyConfig } from '../../generated/envoy/extensions/filters/udp/udp_proxy/v3/UdpProxyConfig';
import type { Listener } from '../../xds/types';
import { pack } from '../../xds/encode';
import { durationMs } from '../common';
import { l4AccessLog } from '../tcp/access-log';
import { l4StatPrefix } from '../tcp/tcp-proxy';

/** Envoy's own default; said out loud so the config shows what a session gets. */
export const DEFAULT_UDP_IDLE_TIMEOUT_MS = 60_000;

export function udpProxyConfig(ir: IrUdpListener): UdpProxyConfig {
  const live = ir.backends.filter((b) => b.weight > 0);
  // Weighted UDP backends are one cluster whose endpoints carry the weights (the front-end's job).
  if (live.length !== 1)
    throw new Error(`udp listener ${ir.name} needs exactly one backend cluster, got ${live.length}`);
  return {
    stat_prefix: l4StatPrefix(ir.name),
    matcher: {
      on_no_match: {
        action: {
          name: 'route',
          typed_config: pack('envoy.extensions.filters.udp.udp_proxy.v3.Route', { cluster: live[0]!.cluster }),
        },
      },
    },
    idle_timeout: durationMs(ir.idleTimeoutMs ?? DEFAULT_UDP_IDLE_TIMEOUT_MS),
    access_log: [l4AccessLog()],
  };
}

export function buildUdpListener(ir: IrUdpListener): Listener {
  return {
    name: ir.name,
    address: { socket_address: { protocol: 'UDP', address: ir.address, port_value: ir.port } },
    listener_filters: [
      {
        name: 'envoy.filters.udp_listener.udp_proxy',
        typed_config: pack('envoy.extensions.filters.udp.udp_proxy.v3.UdpProxyConfig', udpProxyConfig(ir)),
      },
    ],
  };
}
