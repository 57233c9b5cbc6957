// An IR "transparent" listener -> envoy.config.listener.v3.Listener for connections iptables redirected to
// the proxy. The original_dst listener filter restores each connection's original destination, which the
// filter chain match then reads: destination port, then address (a Service's ClusterIPs), then SNI. HTTP
// chains take clear text only (transport raw_buffer), so TLS sent to an HTTP port is relayed, not parsed.
// What no chain takes goes on unchanged to its original destination (the default chain). The TLS inspector
// runs only on the ports that need it: elsewhere Envoy reads nothing first, and a protocol where the server
// speaks first (MySQL, SMTP) is relayed at once.
import type { FilterChain } from '../../generated/envoy/config/listener/v3/FilterChain';
import type { FilterChainMatch } from '../../generated/envoy/config/listener/v3/FilterChainMatch';
import type { ListenerFilter } from '../../generated/envoy/config/listener/v3/ListenerFilter';
import type { ListenerFilterChainMatchPredicate } from '../../generated/envoy/config/listener/v3/ListenerFilterChainMatchPredicate';
import type { IrTransparentChain, IrTransparentListener } from '../../ir/listeners';
import type { Listener } from '../../xds/types';
import { pack } from '../../xds/encode';
import { hcmFilter, sidecarConnectionManager } from '../http/hcm';
import { tlsInspectorFilter } from '../tls-context';
import { l4StatPrefix, tcpProxyNetworkFilter } from '../tcp/tcp-proxy';

function originalDstFilter(): ListenerFilter {
  return {
    name: 'envoy.filters.listener.original_dst',
    typed_config: pack('envoy.extensions.filters.listener.original_dst.v3.OriginalDst', {}),
  };
}

/** The TLS inspector, switched off for every destination port but `ports`. */
function tlsInspectorOn(ports: readonly number[]): ListenerFilter {
  const rules: ListenerFilterChainMatchPredicate[] = [...new Set(ports)]
    .sort((a, b) => a - b)
    .map((port) => ({ destination_port_range: { start: port, end: port + 1 } }));
  // An or_match needs two rules at least (PGV); one port is its own predicate.
  const enabled = rules.length === 1 ? rules[0]! : { or_match: { rules } };
  return { ...tlsInspectorFilter(), filter_disabled: { not_match: enabled } };
}

function chainMatch(chain: IrTransparentChain): FilterChainMatch {
  const transport = chain.sni ? 'tls' : chain.handler.kind === 'http' ? 'raw_buffer' : undefined;
  return {
    destination_port: { value: chain.port },
    ...(chain.addresses.length > 0
      ? {
          prefix_ranges: chain.addresses.map((address) => ({
            address_prefix: address,
            prefix_len: { value: address.includes(':') ? 128 : 32 },
          })),
        }
      : {}),
    ...(chain.sni ? { server_names: chain.sni } : {}),
    ...(transport ? { transport_protocol: transport } : {}),
  };
}

function filterChain(chain: IrTransparentChain): FilterChain {
  const handler = chain.handler;
  const filter =
    handler.kind === 'http'
      ? hcmFilter(sidecarConnectionManager(l4StatPrefix(chain.name), handler.routes.name, handler.faultInjection))
      : tcpProxyNetworkFilter(handler.route);
  return { name: chain.name, filter_chain_match: chainMatch(chain), filters: [filter] };
}

/** What Envoy compares to refuse two chains with the same match (a string: listeners have thousands of chains). */
function matchKey(chain: IrTransparentChain): string {
  const transport = chain.sni ? 'tls' : chain.handler.kind === 'http' ? 'raw_buffer' : '';
  const sorted = (values: readonly string[] | undefined) => [...(values ?? [])].sort().join(',');
  return `${chain.port}|${sorted(chain.addresses)}|${sorted(chain.sni)}|${transport}`;
}

export function buildTransparentListener(ir: IrTransparentListener): Listener {
  const seen = new Map<string, string>();
  for (const chain of ir.chains) {
    const other = seen.get(matchKey(chain));
    // Envoy NACKs the whole listener for this: the front-end must keep chains apart.
    if (other !== undefined)
      throw new Error(`listener ${ir.name}: chains ${other} and ${chain.name} match the same connections`);
    seen.set(matchKey(chain), chain.name);
  }
  const passthrough: FilterChain = {
    name: 'passthrough',
    filters: [
      tcpProxyNetworkFilter({
        name: 'passthrough',
        backends: [{ cluster: ir.passthroughCluster, weight: 1 }],
        accessLog: false,
      }),
    ],
  };
  const inspected = ir.tlsPorts.length > 0 ? [tlsInspectorOn(ir.tlsPorts)] : [];
  return {
    name: ir.name,
    address: { socket_address: { address: ir.address, port_value: ir.port } },
    listener_filters: [originalDstFilter(), ...inspected],
    // A client that sends nothing on an inspected port is not cut after the inspection timeout.
    ...(inspected.length > 0 ? { continue_on_listener_filters_timeout: true } : {}),
    // Without chains of its own (inbound) the passthrough is the listener's one chain.
    filter_chains: ir.chains.length > 0 ? ir.chains.map(filterChain) : [passthrough],
    ...(ir.chains.length > 0 ? { default_filter_chain: passthrough } : {}),
  };
}
