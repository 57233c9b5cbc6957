// An IR "http" listener -> envoy.config.listener.v3.Listener. Clear text: one filter chain with routes over
// RDS (the edge's connection manager, or a sidecar's: see hcm.ts). TLS: the TLS inspector and one filter chain per certificate, selected by SNI (a chain without names is
// the default), after the TLS passthrough chains (tcp_proxy by SNI) if any. Every HTTPS chain runs an HttpConnectionManager with codec AUTO (h2c prior knowledge in clear text,
// ALPN h2 over TLS: gRPC clients reach the edge), the edge's HTTP filters and a JSON access log.
import type { Listener } from '../../xds/types';
import type { HttpConnectionManager } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import type { IrRoutePolicies, IrTlsChain, IrVirtualHost } from '../../ir/http';
import type { IrClientAddress, IrHttpListener } from '../../ir/listeners';
import type { ListenerFilter } from '../../generated/envoy/config/listener/v3/ListenerFilter';
import { adsConfigSource } from '../common';
import { pack } from '../../xds/encode';
import { edgeHttpFilters, hcmHttpFilters } from '../http-filters';
import { hcmFilter, sidecarConnectionManager } from './hcm';
import { jsonAccessLog } from './access-log';
import { downstreamTlsSocket, tlsInspectorFilter } from '../tls-context';
import { tcpFilterChain } from '../tcp/listener';

/** The route configuration of one TLS chain: its own, or LISTENER/CHAIN (the chain's name, else its secret). */
export function chainRouteName(
  listenerName: string,
  chain: Pick<IrTlsChain, 'secret' | 'name' | 'routeName'>,
): string {
  return chain.routeName ?? `${listenerName}/${chain.name ?? chain.secret}`;
}

/** What every route a connection manager serves asks of the filters (a per-service filter needs them). */
function routePolicies(virtualHosts: readonly IrVirtualHost[]): IrRoutePolicies[] {
  return virtualHosts.flatMap((vh) => [...vh.routes, ...(vh.fallback ?? [])].map((r) => r.policies));
}

/** What an edge connection manager depends on besides its names. */
export interface EdgeHcmOptions {
  clientAddress?: IrClientAddress;
  /** The routes it serves: filters with a service per route setting (ext_authz) are derived from them. */
  virtualHosts?: readonly IrVirtualHost[];
  /** Send the client's certificate upstream (X-Forwarded-Client-Cert). */
  forwardClientCertificate?: boolean;
  faultInjection?: boolean;
}

export function edgeConnectionManager(
  statPrefix: string,
  routeConfigName: string,
  options: EdgeHcmOptions = {},
): HttpConnectionManager {
  const { clientAddress, virtualHosts = [], forwardClientCertificate = false, faultInjection = false } = options;
  const trustedHops = clientAddress?.trustedHops ?? 0;
  return {
    stat_prefix: statPrefix,
    codec_type: 'AUTO',
    rds: { config_source: adsConfigSource(), route_config_name: routeConfigName },
    http_filters: hcmHttpFilters(edgeHttpFilters(faultInjection), routePolicies(virtualHosts)),
    http2_protocol_options: { max_concurrent_streams: { value: 1000 } },
    access_log: [jsonAccessLog()],
    // The edge faces clients (or the PROXY protocol names them): their address is the connection's, not an
    // X-Forwarded-For claim, unless trusted proxies in front append that many entries.
    use_remote_address: { value: true },
    ...(trustedHops > 0 ? { xff_num_trusted_hops: trustedHops } : {}),
    normalize_path: { value: true },
    merge_slashes: true,
    // "foo.com:8080" must find the virtual host "foo.com".
    strip_any_host_port: true,
    // Websockets are switched on per route; listing the type here makes that possible.
    upgrade_configs: [{ upgrade_type: 'websocket', enabled: { value: false } }],
    // The client's certificate as X-Forwarded-Client-Cert (a client's own header is replaced, never kept;
    // without this, Envoy's default removes it).
    ...(forwardClientCertificate
      ? { forward_client_cert_details: 'SANITIZE_SET' as const, set_current_client_cert_details: { cert: true } }
      : {}),
  };
}

/** The PROXY protocol header (v1 or v2) comes before anything else, TLS included; a connection without it is refused. */
function proxyProtocolFilter(): ListenerFilter {
  return {
    name: 'envoy.filters.listener.proxy_protocol',
    typed_config: pack('envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol', {}),
  };
}

export function buildHttpListener(ir: IrHttpListener): Listener {
  const statPrefix = ir.name.replace(/[^A-Za-z0-9]/g, '_');
  const address = { socket_address: { address: ir.address, port_value: ir.port } };
  const proxyProtocol = ir.clientAddress?.proxyProtocol ? [proxyProtocolFilter()] : [];
  if (ir.facing === 'sidecar' && (ir.tls || ir.passthrough || ir.clientAddress))
    throw new Error(`listener ${ir.name}: a sidecar's HTTP listener is clear text from the app, without TLS or client-address settings`);
  if (!ir.tls && !ir.passthrough) {
    const routeName = ir.routes?.name ?? ir.name;
    const hcm =
      ir.facing === 'sidecar'
        ? sidecarConnectionManager(statPrefix, routeName, ir.faultInjection)
        : edgeConnectionManager(statPrefix, routeName, {
            ...(ir.clientAddress ? { clientAddress: ir.clientAddress } : {}),
            virtualHosts: ir.routes?.virtualHosts ?? [],
            ...(ir.faultInjection ? { faultInjection: true } : {}),
          });
    return {
      name: ir.name,
      address,
      ...(proxyProtocol.length > 0 ? { listener_filters: proxyProtocol } : {}),
      filter_chains: [{ filters: [hcmFilter(hcm)] }],
    };
  }
  return {
    name: ir.name,
    address,
    listener_filters: [...proxyProtocol, tlsInspectorFilter()],
    filter_chains: [
      ...(ir.passthrough ?? []).map((route) => tcpFilterChain(ir.name, route)),
      ...(ir.tls ?? []).map((chain) => ({
        name: chain.name ?? chain.secret,
        ...(chain.hosts.length > 0 ? { filter_chain_match: { server_names: chain.hosts } } : {}),
        filters: [
          hcmFilter(
            edgeConnectionManager(statPrefix, chainRouteName(ir.name, chain), {
              ...(ir.clientAddress ? { clientAddress: ir.clientAddress } : {}),
              virtualHosts: chain.virtualHosts,
              forwardClientCertificate: chain.clientCertificates?.forwardToUpstream ?? false,
              ...(ir.faultInjection ? { faultInjection: true } : {}),
            }),
          ),
        ],
        transport_socket: downstreamTlsSocket(
          [chain.secret, ...(chain.extraSecrets ?? [])],
          chain.minVersion,
          ['h2', 'http/1.1'],
          chain.clientCertificates,
        ),
      })),
    ],
  };
}
