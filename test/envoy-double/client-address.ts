// The client addresses Envoy's connection manager works with, for a listener configured as kxds does it
// (use_remote_address): the direct address is the TCP peer; the remote address is the PROXY protocol's
// source when the listener reads that header, else the peer, unless xff_num_trusted_hops N > 0 makes it the
// Nth X-Forwarded-For entry from the right (the peer's address when there are fewer than N).
import type { HttpConnectionManager } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import type { HeaderMap } from './header-ops';
import type { RequestAddresses } from './rbac';

export function requestAddresses(
  hcm: HttpConnectionManager,
  connection: { directRemoteAddress: string; remoteAddress: string },
  headers: HeaderMap,
): RequestAddresses {
  const hops = Number(hcm.xff_num_trusted_hops ?? 0);
  const direct = connection.directRemoteAddress;
  if (hops === 0) return { direct, remote: connection.remoteAddress };
  const entries = (headers.get('x-forwarded-for') ?? [])
    .join(',')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const trusted = entries.length >= hops ? entries[entries.length - hops] : undefined;
  return { direct, remote: trusted ?? connection.remoteAddress };
}
