// An IR "tcp" listener -> envoy.config.listener.v3.Listener: one filter chain per route, each a tcp_proxy.
// TLS routes (passthrough or terminate) match on transport protocol "tls" and their SNI names, which the TLS
// inspector reads from the ClientHello without decrypting; a passthrough chain forwards the encrypted bytes,
// a terminating one decrypts with its certificates and forwards clear text. A plain route matches everything.
import type { FilterChain } from '../../generated/envoy/config/listener/v3/FilterChain';
import type { IrTcpListener, IrTcpRoute } from '../../ir/listeners';
import type { Listener } from '../../xds/types';
import { downstreamTlsSocket, tlsInspectorFilter } from '../tls-context';
import { tcpProxyNetworkFilter } from './tcp-proxy';

/** One route's chain; listenerName names the listener in errors. */
export function tcpFilterChain(listenerName: string, route: IrTcpRoute): FilterChain {
  const sni = route.sni ?? [];
  if (!route.tls && sni.length > 0)
    throw new Error(`listener ${listenerName}: route ${route.name} matches SNI without TLS`);
  const match = route.tls
    ? { filter_chain_match: { transport_protocol: 'tls', ...(sni.length > 0 ? { server_names: sni } : {}) } }
    : {};
  const tls = route.tls;
  return {
    name: route.name,
    ...match,
    filters: [tcpProxyNetworkFilter(route)],
    // No ALPN offered: the bytes behind a terminating chain are the application's own protocol.
    ...(tls?.mode === 'terminate' ? { transport_socket: downstreamTlsSocket(tls.secrets, tls.minVersion, []) } : {}),
  };
}

/** What Envoy compares to refuse two chains with the same match: names sorted, TLS or not. */
function matchKey(route: IrTcpRoute): string {
  return JSON.stringify([route.tls ? 'tls' : '', [...(route.sni ?? [])].sort()]);
}

export function buildTcpListener(ir: IrTcpListener): Listener {
  const seen = new Map<string, string>();
  for (const route of ir.routes) {
    const key = matchKey(route);
    const other = seen.get(key);
    // Envoy NACKs the whole listener for this; the front-end must have given one of them a condition.
    if (other !== undefined)
      throw new Error(`listener ${ir.name}: routes ${other} and ${route.name} match the same connections`);
    seen.set(key, route.name);
  }
  const inspectsTls = ir.routes.some((route) => route.tls);
  return {
    name: ir.name,
    address: { socket_address: { address: ir.address, port_value: ir.port } },
    ...(inspectsTls ? { listener_filters: [tlsInspectorFilter()] } : {}),
    filter_chains: ir.routes.map((route) => tcpFilterChain(ir.name, route)),
  };
}
