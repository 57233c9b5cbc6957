// Client certificates on a TLS chain, as kxds asks for them: a validation context with the CA inline
// (trusted_ca), max_verify_depth, and trust_chain_verification ACCEPT_UNTRUSTED or not; with
// require_client_certificate a client without a valid certificate fails the handshake, without it a client
// may send none but one it sends must verify (unless untrusted certificates are accepted). The connection
// manager's X-Forwarded-Client-Cert: removed from the client's request (SANITIZE, Envoy's default), or
// with SANITIZE_SET and set_current_client_cert_details.cert replaced by the client's certificate
// (Hash=SHA-256 of the DER; Cert=the URL-encoded PEM) when it sent one.
import { createHash } from 'node:crypto';
import type * as tls from 'node:tls';
import type { DownstreamTlsContext } from '../../src/generated/envoy/extensions/transport_sockets/tls/v3/DownstreamTlsContext';
import type { HttpConnectionManager } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import { dataSourceBytes } from './data-source';
import type { HeaderMap } from './header-ops';
import type { SupportProblems } from './support-fields';

export function checkClientValidation(
  tlsContext: DownstreamTlsContext,
  path: string,
  check: SupportProblems,
): void {
  const validation = tlsContext.common_tls_context?.validation_context;
  check.fields(validation, `${path}.common_tls_context.validation_context`, [
    'trusted_ca',
    'max_verify_depth',
    'trust_chain_verification',
  ]);
  if (tlsContext.require_client_certificate && !validation)
    check.add(
      `${path}.require_client_certificate`,
      'requires a client certificate only with a validation context',
    );
}

export function checkClientCertForwarding(
  hcm: HttpConnectionManager,
  path: string,
  check: SupportProblems,
): void {
  const mode = hcm.forward_client_cert_details ?? 'SANITIZE';
  if (mode !== 'SANITIZE' && mode !== 'SANITIZE_SET')
    check.add(
      `${path}.forward_client_cert_details`,
      `implements SANITIZE and SANITIZE_SET only (got ${mode})`,
    );
  check.fields(hcm.set_current_client_cert_details, `${path}.set_current_client_cert_details`, ['cert']);
}

/** What node:tls needs to ask for (and verify) client certificates the way the chain says. */
export function clientCertificateOptions(tlsContext: DownstreamTlsContext | undefined): tls.TlsOptions {
  const validation = tlsContext?.common_tls_context?.validation_context;
  if (!validation) return {};
  // Verification is judged after the handshake (verifiedClient) so a client may send none when allowed.
  return { requestCert: true, rejectUnauthorized: false, ca: dataSourceBytes(validation.trusted_ca) };
}

/** CA certificates above the leaf in the chain the client's certificate verified through. */
function depthOf(peer: tls.DetailedPeerCertificate): number {
  let depth = 0;
  for (
    let cert = peer;
    cert.issuerCertificate && cert.issuerCertificate !== cert;
    cert = cert.issuerCertificate
  )
    depth += 1;
  return depth;
}

/** Whether the finished handshake satisfies the chain's client-certificate rules (else Envoy closes it). */
export function clientAccepted(tlsContext: DownstreamTlsContext | undefined, socket: tls.TLSSocket): boolean {
  const validation = tlsContext?.common_tls_context?.validation_context;
  if (!validation) return true;
  const peer = socket.getPeerCertificate(true);
  const sent = peer && Object.keys(peer).length > 0;
  if (!sent) return !tlsContext.require_client_certificate?.value;
  if (validation.trust_chain_verification === 'ACCEPT_UNTRUSTED') return true;
  if (!socket.authorized) return false;
  const maxDepth = validation.max_verify_depth?.value;
  return maxDepth === undefined || depthOf(peer) <= maxDepth;
}

/** X-Forwarded-Client-Cert as the connection manager leaves it on the request. */
export function applyClientCertHeader(hcm: HttpConnectionManager, socket: unknown, headers: HeaderMap): void {
  headers.delete('x-forwarded-client-cert');
  if (hcm.forward_client_cert_details !== 'SANITIZE_SET' || !hcm.set_current_client_cert_details?.cert)
    return;
  const peer = (socket as Partial<tls.TLSSocket>).getPeerCertificate?.();
  if (!peer?.raw) return;
  const pem = `-----BEGIN CERTIFICATE-----\n${peer.raw
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const hash = createHash('sha256').update(peer.raw).digest('hex');
  headers.set('x-forwarded-client-cert', [`Hash=${hash};Cert="${encodeURIComponent(pem)}"`]);
}
