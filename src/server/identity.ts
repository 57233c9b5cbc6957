// Who is on the other end of a gRPC call, as far as kxds can prove it: on a mutual TLS port, the SPIFFE-style
// URI SAN of the verified client certificate (spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT); on a
// plaintext port, only the peer address (and whether it is loopback, i.e. on this machine or in this pod).
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs it loaded first
import { isIP } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import * as x509 from '@peculiar/x509';

export type PeerIdentity =
  | { kind: 'certificate'; peer: string; subject: string; uris: string[] }
  | { kind: 'plaintext'; peer: string; loopback: boolean };

/** The host part of grpc-js's server-side peer string ("1.2.3.4:5", "::1:5", "[::1]:5"). */
export function peerHost(peer: string): string {
  const unbracketed = (host: string) => host.replace(/^\[(.*)\]$/, '$1');
  const withPort = /^(.*):(\d+)$/.exec(peer);
  const host = withPort?.[1] !== undefined ? unbracketed(withPort[1]) : undefined;
  return host !== undefined && isIP(host) ? host : unbracketed(peer);
}

export function isLoopbackHost(host: string): boolean {
  const v4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return host === '::1';
}

/**
 * URI SANs of a DER certificate (what Node's peer certificate `raw` holds). One that TLS accepted but this
 * parser cannot read has none, so it is no identity (fails closed) rather than an exception on a stream.
 */
export function certificateUris(der: Uint8Array): string[] {
  try {
    const certificate = new x509.X509Certificate(der);
    const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
    return (san?.names.items ?? []).filter((name) => name.type === 'url').map((name) => name.value);
  } catch {
    return [];
  }
}

/** How a peer is shown to operators (/debug/nodes): its certificate's URIs, or plaintext and from where. */
export function identityLabel(identity: PeerIdentity): string {
  if (identity.kind === 'certificate')
    return identity.uris.length ? identity.uris.join(' ') : `certificate ${identity.subject} (no URI SAN)`;
  return identity.loopback ? 'plaintext (loopback)' : 'plaintext';
}

/** The identity of a call's peer. A certificate counts only when the TLS layer verified it against the CA. */
export function peerIdentity(call: {
  getPeer(): string;
  getAuthContext(): { sslPeerCertificate?: PeerCertificate };
}): PeerIdentity {
  const peer = call.getPeer();
  const certificate = call.getAuthContext().sslPeerCertificate;
  if (certificate?.raw) {
    const subject = Object.entries(certificate.subject ?? {})
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(',');
    return { kind: 'certificate', peer, subject, uris: certificateUris(certificate.raw) };
  }
  return { kind: 'plaintext', peer, loopback: isLoopbackHost(peerHost(peer)) };
}
