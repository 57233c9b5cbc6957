// Reading a decoded Listener the way the double uses it: a filter chain's HttpConnectionManager and its
// DownstreamTlsContext, the route configuration and SDS secret names they reference.
import type { Listener } from '../../src/xds/types';
import type { FilterChain } from '../../src/generated/envoy/config/listener/v3/FilterChain';
import type { HttpConnectionManager } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import type { DownstreamTlsContext } from '../../src/generated/envoy/extensions/transport_sockets/tls/v3/DownstreamTlsContext';
import { anyFields, anyTypeUrl } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

export function filterChains(listener: Listener): FilterChain[] {
  return [
    ...(listener.filter_chains ?? []),
    ...(listener.default_filter_chain ? [listener.default_filter_chain] : []),
  ];
}

export function chainHcm(chain: FilterChain): HttpConnectionManager | undefined {
  const filter = (chain.filters ?? []).find((f) => anyTypeUrl(f.typed_config) === DOUBLE_TYPE_URLS.hcm);
  return filter ? anyFields<HttpConnectionManager>(filter.typed_config) : undefined;
}

export function chainTls(chain: FilterChain): DownstreamTlsContext | undefined {
  const socket = chain.transport_socket;
  return socket && anyTypeUrl(socket.typed_config) === DOUBLE_TYPE_URLS.downstreamTls
    ? anyFields<DownstreamTlsContext>(socket.typed_config)
    : undefined;
}

export function listenerRouteNames(listener: Listener): string[] {
  return filterChains(listener).flatMap((c) => {
    const name = chainHcm(c)?.rds?.route_config_name;
    return name ? [name] : [];
  });
}

export function listenerSecretNames(listener: Listener): string[] {
  return filterChains(listener).flatMap((c) =>
    (chainTls(c)?.common_tls_context?.tls_certificate_sds_secret_configs ?? []).map((s) => String(s.name)),
  );
}

/** The port the listener declares (Envoy would bind it; the double maps it to a loopback port). */
export function listenerPort(listener: Listener): number {
  return Number(listener.address?.socket_address?.port_value ?? 0);
}
