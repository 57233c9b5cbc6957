// What the double implements of a Listener (see support-fields.ts): TCP on a socket address, the PROXY
// protocol (default settings), original_dst (destinations from OriginalDestinations) and the TLS inspector
// (switched off by destination port predicates), filter chains chosen by destination_port, prefix_ranges,
// server_names and transport_protocol, TLS terminated with an SDS (or inline) certificate, and one
// HttpConnectionManager or tcp_proxy (cluster or weighted clusters, TLS passed through or terminated first)
// per chain; UDP with the udp_proxy alone (one cluster, idle timeout: udp-proxy.ts). Passed over knowingly:
// TCP idle timeouts, access logs, stat prefixes, HTTP/2 and HTTP/1 protocol tuning, drain and idle
// timeouts, request ids.
import type { Listener } from '../../src/xds/types';
import type { FilterChain } from '../../src/generated/envoy/config/listener/v3/FilterChain';
import { checkHttpFilters } from './http-filters';
import { chainHcm, chainTls, filterChains } from './listener-config';
import { checkClientCertForwarding, checkClientValidation } from './client-certificates';
import { anyFields, anyTypeUrl, SupportProblems } from './support-fields';
import { chainTcpProxy } from './tcp-proxy';
import { DOUBLE_TYPE_URLS } from './type-urls';
import { listenerUdpProxy, udpProxyCluster } from './udp-proxy';
import type { ListenerFilterChainMatchPredicate } from '../../src/generated/envoy/config/listener/v3/ListenerFilterChainMatchPredicate';

function checkPredicate(
  p: ListenerFilterChainMatchPredicate | null | undefined,
  path: string,
  check: SupportProblems,
): void {
  if (!p) return;
  check.fields(p, path, ['or_match', 'and_match', 'not_match', 'any_match', 'destination_port_range']);
  checkPredicate(p.not_match, `${path}.not_match`, check);
  for (const [i, r] of [...(p.or_match?.rules ?? []), ...(p.and_match?.rules ?? [])].entries())
    checkPredicate(r, `${path}.rules[${i}]`, check);
}

function checkChain(chain: FilterChain, path: string, check: SupportProblems): void {
  check.fields(chain, path, ['name', 'filter_chain_match', 'filters', 'transport_socket'], ['metadata']);
  check.fields(chain.filter_chain_match, `${path}.filter_chain_match`, [
    'destination_port',
    'prefix_ranges',
    'server_names',
    'transport_protocol',
  ]);
  const filters = chain.filters ?? [];
  const only = filters.length === 1 ? anyTypeUrl(filters[0]?.typed_config) : undefined;
  if (only !== DOUBLE_TYPE_URLS.hcm && only !== DOUBLE_TYPE_URLS.tcpProxy)
    check.add(
      `${path}.filters`,
      `implements exactly one network filter, the HttpConnectionManager or tcp_proxy (got ${filters.map((f) => f.name).join(', ')})`,
    );
  const tcpProxy = chainTcpProxy(chain);
  if (tcpProxy) {
    const at = `${path}.filters[0] TcpProxy`;
    check.fields(
      tcpProxy,
      at,
      ['stat_prefix', 'cluster', 'weighted_clusters'],
      ['idle_timeout', 'access_log'],
    );
    for (const [i, c] of (tcpProxy.weighted_clusters?.clusters ?? []).entries())
      check.fields(c, `${at}.weighted_clusters.clusters[${i}]`, ['name', 'weight']);
  }
  const hcm = chainHcm(chain);
  if (hcm) {
    const at = `${path}.filters[0] HttpConnectionManager`;
    check.fields(
      hcm,
      at,
      [
        'codec_type',
        'rds',
        'http_filters',
        'use_remote_address',
        'xff_num_trusted_hops',
        'forward_client_cert_details',
        'set_current_client_cert_details',
        'normalize_path',
        'merge_slashes',
        'strip_any_host_port',
        'strip_matching_host_port',
        'upgrade_configs',
      ],
      [
        'stat_prefix',
        'access_log',
        'http2_protocol_options',
        'http_protocol_options',
        'common_http_protocol_options',
        'stream_idle_timeout',
        'request_timeout',
        'drain_timeout',
        'generate_request_id',
        'server_name',
      ],
    );
    check.fields(hcm.rds, `${at}.rds`, ['route_config_name', 'config_source']);
    // Every codec is served as AUTO (HTTP/1.1 or h2c by preface); a listener pinned to one is not modelled.
    if (hcm.codec_type !== undefined && hcm.codec_type !== 'AUTO')
      check.add(`${at}.codec_type`, `serves only codec AUTO (got ${String(hcm.codec_type)})`);
    if (hcm.upgrade_configs?.some((u) => u.enabled?.value !== false))
      check.add(`${at}.upgrade_configs`, 'does not proxy upgrades (websockets)');
    checkHttpFilters(hcm.http_filters ?? [], `${at}.http_filters`, check);
    checkClientCertForwarding(hcm, at, check);
  }
  if (chain.transport_socket) {
    const tls = chainTls(chain);
    if (!tls)
      return check.add(
        `${path}.transport_socket`,
        'implements only the TLS transport socket (DownstreamTlsContext)',
      );
    check.fields(tls, `${path}.transport_socket`, ['common_tls_context', 'require_client_certificate']);
    check.fields(tls.common_tls_context, `${path}.transport_socket.common_tls_context`, [
      'tls_certificate_sds_secret_configs',
      'alpn_protocols',
      'tls_params',
      'validation_context',
    ]);
    checkClientValidation(tls, `${path}.transport_socket`, check);
  }
}

export function checkListener(listener: Listener, check: SupportProblems): void {
  const at = `Listener ${listener.name}`;
  check.fields(
    listener,
    at,
    ['name', 'address', 'filter_chains', 'default_filter_chain', 'listener_filters'],
    [
      'stat_prefix',
      'traffic_direction',
      'per_connection_buffer_limit_bytes',
      // The double never times an inspection out: a silent client waits, as with a long timeout.
      'continue_on_listener_filters_timeout',
    ],
  );
  if (!listener.address?.socket_address) return check.add(`${at}.address`, 'binds only socket addresses');
  const protocol = listener.address.socket_address.protocol ?? 'TCP';
  if (protocol === 'UDP') return checkUdpListener(listener, at, check);
  if (protocol !== 'TCP') check.add(`${at}.address`, `binds only TCP and UDP sockets (got ${protocol})`);
  for (const [i, filter] of (listener.listener_filters ?? []).entries()) {
    const type = anyTypeUrl(filter.typed_config);
    const at2 = `${at}.listener_filters[${i}]`;
    if (type === DOUBLE_TYPE_URLS.proxyProtocol) {
      // Only the default: v1 and v2 required, nothing kept from TLVs.
      check.fields(anyFields<Record<string, unknown>>(filter.typed_config), `${at2}.typed_config`, []);
      if (i !== 0) check.add(at2, 'reads the PROXY protocol only as the first listener filter');
    } else if (type === DOUBLE_TYPE_URLS.originalDst) {
      check.fields(anyFields<Record<string, unknown>>(filter.typed_config), `${at2}.typed_config`, []);
      if (i !== 0) check.add(at2, 'restores the original destination only as the first listener filter');
    } else if (type === DOUBLE_TYPE_URLS.tlsInspector) {
      check.fields(filter, at2, ['name', 'typed_config', 'filter_disabled']);
      checkPredicate(filter.filter_disabled, `${at2}.filter_disabled`, check);
    } else
      check.add(
        at2,
        `implements only the PROXY protocol, original_dst and the TLS inspector (got ${filter.name})`,
      );
  }
  for (const [i, chain] of filterChains(listener).entries())
    checkChain(chain, `${at}.filter_chains[${i}${chain.name ? ` ${chain.name}` : ''}]`, check);
}

/** A UDP listener: exactly the udp_proxy listener filter, one cluster as the matcher's no-match route. */
function checkUdpListener(listener: Listener, at: string, check: SupportProblems): void {
  const filters = listener.listener_filters ?? [];
  const proxy = listenerUdpProxy(listener);
  if (filters.length !== 1 || !proxy)
    return check.add(
      `${at}.listener_filters`,
      'implements a UDP listener only with the udp_proxy filter alone',
    );
  if (filterChains(listener).length > 0) check.add(`${at}.filter_chains`, 'expects no filter chains on UDP');
  const path = `${at}.listener_filters[0] UdpProxyConfig`;
  check.fields(proxy, path, ['stat_prefix', 'matcher', 'idle_timeout'], ['access_log']);
  check.fields(proxy.matcher, `${path}.matcher`, ['on_no_match']);
  check.fields(proxy.matcher?.on_no_match, `${path}.matcher.on_no_match`, ['action']);
  if (!udpProxyCluster(proxy)) check.add(`${path}.matcher`, 'routes only to one cluster (Route action)');
}
