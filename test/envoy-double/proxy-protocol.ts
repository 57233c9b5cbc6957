// Envoy's proxy_protocol listener filter, as the double applies it: the connection must start with a PROXY
// protocol header, v1 ("PROXY TCP4 SRC DST SPORT DPORT\r\n") or v2 (binary, PROXY command over TCP/IPv4 or
// IPv6; LOCAL keeps the peer address); its source address becomes the connection's remote address. A
// connection without a valid header is closed, as Envoy does without allow_requests_without_proxy_protocol.
import type * as net from 'node:net';
import { peek } from './peeked-socket';

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_MAX = 107;

export type ProxyHeader = { ok: true; source: string | undefined; rest: Buffer } | { ok: false };

function v2Length(bytes: Buffer): number | undefined {
  return bytes.length >= 16 ? 16 + bytes.readUInt16BE(14) : undefined;
}

function complete(bytes: Buffer): boolean {
  if (
    bytes.subarray(0, Math.min(12, bytes.length)).equals(V2_SIGNATURE.subarray(0, Math.min(12, bytes.length)))
  )
    return bytes.length >= 12 && (v2Length(bytes) ?? Infinity) <= bytes.length;
  return bytes.includes('\r\n') || bytes.length >= V1_MAX;
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

function parseV2(bytes: Buffer): ProxyHeader {
  const length = v2Length(bytes) ?? 0;
  const versionCommand = bytes[12] ?? 0;
  const family = bytes[13] ?? 0;
  const rest = bytes.subarray(length);
  if (versionCommand >> 4 !== 2) return { ok: false };
  if ((versionCommand & 0x0f) === 0) return { ok: true, source: undefined, rest };
  if ((versionCommand & 0x0f) !== 1) return { ok: false };
  const body = bytes.subarray(16, length);
  if (family === 0x11 && body.length >= 12)
    return { ok: true, source: [...body.subarray(0, 4)].join('.'), rest };
  if (family === 0x21 && body.length >= 36) return { ok: true, source: ipv6(body.subarray(0, 16)), rest };
  return { ok: false };
}

function parseV1(bytes: Buffer): ProxyHeader {
  const end = bytes.indexOf('\r\n');
  if (end < 0 || end > V1_MAX) return { ok: false };
  const parts = bytes.subarray(0, end).toString('latin1').split(' ');
  const rest = bytes.subarray(end + 2);
  if (parts[0] !== 'PROXY') return { ok: false };
  if (parts[1] === 'UNKNOWN') return { ok: true, source: undefined, rest };
  if ((parts[1] !== 'TCP4' && parts[1] !== 'TCP6') || parts.length !== 6) return { ok: false };
  return { ok: true, source: parts[2], rest };
}

/** Reads the PROXY header off a new connection; `rest` is what followed it in the same reads. */
export async function readProxyHeader(socket: net.Socket): Promise<ProxyHeader> {
  const bytes = await peek(socket, complete);
  return bytes.subarray(0, 12).equals(V2_SIGNATURE) ? parseV2(bytes) : parseV1(bytes);
}
