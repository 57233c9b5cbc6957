// What a Cluster says about reaching its hosts: HTTP/1.1 or HTTP/2 (HttpProtocolOptions'
// explicit_http_config, or the older cluster-level http2_protocol_options), and TLS from its
// UpstreamTlsContext: SNI, ALPN, and verification as Envoy does it: the chain against validation_context's
// trusted_ca, the peer's SANs against match_typed_subject_alt_names (no host-name check of its own), and no
// verification at all without a validation context.
import type * as tls from 'node:tls';
import type { Cluster } from '../../src/xds/types';
import type { HttpProtocolOptions } from '../../src/generated/envoy/extensions/upstreams/http/v3/HttpProtocolOptions';
import type { UpstreamTlsContext } from '../../src/generated/envoy/extensions/transport_sockets/tls/v3/UpstreamTlsContext';
import type { SubjectAltNameMatcher } from '../../src/generated/envoy/extensions/transport_sockets/tls/v3/SubjectAltNameMatcher';
import { dataSourceBytes } from './data-source';
import { stringMatches } from './string-match';
import { anyFields } from './support-fields';

const PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

export function upstreamProtocol(cluster: Cluster): 'http1' | 'http2' {
  const any = cluster.typed_extension_protocol_options?.[PROTOCOL_OPTIONS_KEY];
  const options = any ? anyFields<HttpProtocolOptions>(any) : undefined;
  if (options?.explicit_http_config?.http2_protocol_options) return 'http2';
  return cluster.http2_protocol_options ? 'http2' : 'http1';
}

const SAN_PREFIX: Readonly<Record<string, string>> = {
  DNS: 'DNS:',
  URI: 'URI:',
  IP_ADDRESS: 'IP Address:',
  EMAIL: 'email:',
};

function sansOf(cert: tls.PeerCertificate): string[] {
  return (cert.subjectaltname ?? '').split(', ').filter(Boolean);
}

function sanProblem(
  matchers: readonly SubjectAltNameMatcher[],
  cert: tls.PeerCertificate,
): Error | undefined {
  const sans = sansOf(cert);
  const ok = matchers.some((m) => {
    const prefix = SAN_PREFIX[String(m.san_type)] ?? '';
    return sans.some(
      (san) =>
        san.startsWith(prefix) &&
        m.matcher !== undefined &&
        m.matcher !== null &&
        stringMatches(m.matcher, san.slice(prefix.length)),
    );
  });
  return ok
    ? undefined
    : new Error(
        `upstream certificate SANs ${sans.join(', ') || '(none)'} match no match_typed_subject_alt_names`,
      );
}

/** node:tls options for the cluster's hosts, or undefined for clear text. */
export function upstreamTlsOptions(
  cluster: Cluster,
  protocol: 'http1' | 'http2',
): tls.ConnectionOptions | undefined {
  if (!cluster.transport_socket) return undefined;
  const context = anyFields<UpstreamTlsContext>(cluster.transport_socket.typed_config);
  const common = context.common_tls_context ?? {};
  const validation = common.validation_context;
  const matchers = validation?.match_typed_subject_alt_names ?? [];
  return {
    ...(context.sni ? { servername: context.sni } : {}),
    ALPNProtocols: common.alpn_protocols?.length
      ? common.alpn_protocols
      : [protocol === 'http2' ? 'h2' : 'http/1.1'],
    rejectUnauthorized: Boolean(validation),
    ...(validation?.trusted_ca ? { ca: dataSourceBytes(validation.trusted_ca) } : {}),
    checkServerIdentity: (_host, cert) => (matchers.length > 0 ? sanProblem(matchers, cert) : undefined),
  };
}
