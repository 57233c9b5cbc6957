// The downstream TLS transport socket of a filter chain that terminates TLS: its certificates over SDS (Envoy
// picks among them by what the client supports) and the minimum version. Shared by HTTPS chains (which offer
// ALPN h2 and http/1.1) and TLS-terminating TCP chains (which offer none: the bytes are opaque).
import type { ListenerFilter } from '../generated/envoy/config/listener/v3/ListenerFilter';
import type { TransportSocket } from '../generated/envoy/config/core/v3/TransportSocket';
import type { TlsVersion } from '../ir/http';
import { pack } from '../xds/encode';
import { adsConfigSource } from './common';

export function downstreamTlsSocket(secrets: string[], minVersion: TlsVersion, alpn: string[]): TransportSocket {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: pack('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: minVersion },
        ...(alpn.length > 0 ? { alpn_protocols: alpn } : {}),
        tls_certificate_sds_secret_configs: secrets.map((name) => ({ name, sds_config: adsConfigSource() })),
      },
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
