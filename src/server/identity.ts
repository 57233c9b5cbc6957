// Who is on the other end of a gRPC call, as far as kxds can prove it: on a mutual TLS port, the SPIFFE-style
// URI SAN of the verified client certificate (spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT); on a
// plaintext port, only the peer address (and whether it is loopback, i.e. on this machine or in this pod).
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { PeerCertificate } from 'node:tls';

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
 * The entries of Node's subjectAltName text ("DNS:a, URI:spiffe://..."). Node prints a value that has
 * separators or quotes in it as a JSON string ("DNS:\"a, URI:b\""), so quoted values are read whole: a
 * name smuggled inside another entry's value is never taken for an entry of its own.
 */
function subjectAltNames(text: string): { type: string; value: string }[] {
  const entries: { type: string; value: string }[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) throw new Error('subjectAltName entry without a type');
    const type = text.slice(i, colon);
    let end: number;
    let value: string;
    if (text[colon + 1] === '"') {
      end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      value = JSON.parse(text.slice(colon + 1, end + 1)) as string;
      end += 1;
    } else {
      const comma = text.indexOf(', ', colon);
      end = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, end);
    }
    entries.push({ type, value });
    if (end < text.length && !text.startsWith(', ', end)) throw new Error('subjectAltName: expected ", "');
    i = end + 2;
  }
  return entries;
}

/**
 * URI SANs of a DER certificate (what Node's peer certificate `raw` holds), with Node's own X.509 parser (a
 * few microseconds; a JavaScript ASN.1 parser took milliseconds per stream). A certificate that TLS accepted
 * but that cannot be read this way has no URI, so it is no identity (fails closed) rather than an exception.
 */
export function certificateUris(der: Uint8Array): string[] {
  try {
    const text = new X509Certificate(der).subjectAltName ?? '';
    return subjectAltNames(text)
      .filter((entry) => entry.type === 'URI')
      .map((entry) => entry.value);
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
