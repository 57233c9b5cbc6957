// The downstream TLS transport socket of a filter chain that terminates TLS: its certificates over SDS (Envoy
// picks among them by what the client supports), the minimum version, and the client certificates it asks for. Shared by HTTPS chains (which offer
// ALPN h2 and http/1.1) and TLS-terminating TCP chains (which offer none: the bytes are opaque).
import type { ListenerFilter } from '../generated/envoy/config/listener/v3/ListenerFilter';
import type { TransportSocket } from '../generated/envoy/config/core/v3/TransportSocket';
import type { CertificateValidationContext } from '../generated/envoy/extensions/transport_sockets/tls/v3/CertificateValidationContext';
import type { IrClientCertificates, TlsVersion } from '../ir/http';
import { pack } from '../xds/encode';
import { adsConfigSource } from './common';

/**
 * How client certificates are checked: the CA inline (a CA certificate is public), the depth above the
 * client's own, and for "optional-untrusted" a certificate accepted whatever signed it.
 */
function clientValidation(client: IrClientCertificates): CertificateValidationContext {
  return {
    trusted_ca: { inline_string: client.caPem },
    max_verify_depth: { value: client.maxDepth },
    ...(client.mode === 'optional-untrusted' ? { trust_chain_verification: 'ACCEPT_UNTRUSTED' as const } : {}),
  };
}

export function downstreamTlsSocket(
  secrets: string[],
  minVersion: TlsVersion,
  alpn: string[],
  client?: IrClientCertificates,
): TransportSocket {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: pack('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: minVersion },
        ...(alpn.length > 0 ? { alpn_protocols: alpn } : {}),
        tls_certificate_sds_secret_configs: secrets.map((name) => ({ name, sds_config: adsConfigSource() })),
        ...(client ? { validation_context: clientValidation(client) } : {}),
      },
      ...(client ? { require_client_certificate: { value: client.mode === 'require' } } : {}),
    }),
  };
}

/** The listener filter that reads SNI (and ALPN) from the ClientHello, so chains can match on it. */
export function tlsInspectorFilter(): ListenerFilter {
  return {
    name: 'envoy.filters.listener.tls_inspector',
    typed_config: pack('envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector', {}),
  };
}
