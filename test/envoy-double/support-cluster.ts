// What the double implements of Clusters, ClusterLoadAssignments and Secrets (see support-fields.ts): EDS
// and static, DNS or ORIGINAL_DST clusters, HTTP/1.1 or HTTP/2 upstreams, upstream TLS verified against a CA with SNI and
// SAN matchers, endpoints by health status. Passed over knowingly (documented in index.ts): the balancing
// policy (every cluster is round robin), circuit breakers, active health checks, outlier detection,
// locality weights and priorities (every healthy endpoint takes its turn).
import type { Cluster, ClusterLoadAssignment, Secret } from '../../src/xds/types';
import type { UpstreamTlsContext } from '../../src/generated/envoy/extensions/transport_sockets/tls/v3/UpstreamTlsContext';
import { anyFields, anyTypeUrl, SupportProblems } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

export function checkCluster(cluster: Cluster, check: SupportProblems): void {
  const at = `Cluster ${cluster.name}`;
  check.fields(
    cluster,
    at,
    [
      'name',
      'type',
      'eds_cluster_config',
      'load_assignment',
      'connect_timeout',
      'typed_extension_protocol_options',
      'http2_protocol_options',
      'transport_socket',
      'dns_lookup_family',
    ],
    [
      'lb_policy',
      'load_balancing_policy',
      'ring_hash_lb_config',
      'maglev_lb_config',
      'least_request_lb_config',
      'common_lb_config',
      'circuit_breakers',
      'health_checks',
      'outlier_detection',
      'upstream_connection_options',
    ],
  );
  if (!['EDS', 'STATIC', 'STRICT_DNS', 'ORIGINAL_DST', undefined].includes(cluster.type as string))
    check.add(`${at}.type`, `does not implement cluster type ${String(cluster.type)}`);
  if (cluster.type === 'ORIGINAL_DST' && cluster.lb_policy !== 'CLUSTER_PROVIDED')
    check.add(`${at}.lb_policy`, 'ORIGINAL_DST takes only CLUSTER_PROVIDED (as Envoy requires)');
  for (const [key, any] of Object.entries(cluster.typed_extension_protocol_options ?? {})) {
    if (anyTypeUrl(any) !== DOUBLE_TYPE_URLS.httpProtocolOptions)
      check.add(`${at}.typed_extension_protocol_options[${key}]`, 'implements only HttpProtocolOptions');
    check.fields(anyFields(any), `${at}.typed_extension_protocol_options[${key}]`, ['explicit_http_config']);
  }
  if (cluster.transport_socket) {
    if (anyTypeUrl(cluster.transport_socket.typed_config) !== DOUBLE_TYPE_URLS.upstreamTls)
      return check.add(
        `${at}.transport_socket`,
        'implements only the TLS transport socket (UpstreamTlsContext)',
      );
    const tls = anyFields<UpstreamTlsContext>(cluster.transport_socket.typed_config);
    check.fields(tls, `${at}.transport_socket`, ['sni', 'common_tls_context']);
    check.fields(tls.common_tls_context, `${at}.transport_socket.common_tls_context`, [
      'alpn_protocols',
      'validation_context',
      'tls_params',
    ]);
    check.fields(
      tls.common_tls_context?.validation_context,
      `${at}.transport_socket.common_tls_context.validation_context`,
      ['trusted_ca', 'match_typed_subject_alt_names'],
    );
  }
}

export function checkLoadAssignment(cla: ClusterLoadAssignment, check: SupportProblems): void {
  const at = `ClusterLoadAssignment ${cla.cluster_name}`;
  check.fields(cla, at, ['cluster_name', 'endpoints'], ['policy']);
  for (const [i, locality] of (cla.endpoints ?? []).entries()) {
    check.fields(
      locality,
      `${at}.endpoints[${i}]`,
      ['lb_endpoints'],
      ['locality', 'load_balancing_weight', 'priority'],
    );
    for (const [j, lb] of (locality.lb_endpoints ?? []).entries()) {
      check.fields(
        lb,
        `${at}.endpoints[${i}].lb_endpoints[${j}]`,
        ['endpoint', 'health_status', 'load_balancing_weight'],
        ['metadata'],
      );
      check.fields(
        lb.endpoint,
        `${at}.endpoints[${i}].lb_endpoints[${j}].endpoint`,
        ['address', 'hostname'],
        ['health_check_config'],
      );
    }
  }
}

export function checkSecret(secret: Secret, check: SupportProblems): void {
  const at = `Secret ${secret.name}`;
  check.fields(secret, at, ['name', 'tls_certificate', 'validation_context']);
  check.fields(secret.tls_certificate, `${at}.tls_certificate`, ['certificate_chain', 'private_key']);
}
