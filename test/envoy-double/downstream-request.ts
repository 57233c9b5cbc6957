// A downstream request as Envoy's connection manager hands it to the router: HTTP/1.1 and HTTP/2 alike as
// lowercase headers with pseudo-headers (:method, :path, :authority from Host, :scheme), hop-by-hop
// headers gone, and the HCM's normalizations applied: normalize_path (RFC 3986 dot segments),
// merge_slashes, strip_any_host_port and strip_matching_host_port.
import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import type { HttpConnectionManager } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import type { HeaderMap } from './header-ops';
import { pathWithoutQuery } from './route-match';
import { stripPort } from './virtual-host';

/** Headers that describe one connection, never forwarded (RFC 9110 7.6.1, plus HTTP/2's rules). */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'host',
  'http2-settings',
]);

export interface DownstreamRequest {
  method: string;
  scheme: string;
  authority: string;
  /** Path and query, normalized. */
  path: string;
  /** Lowercase names, without pseudo-headers or hop-by-hop headers. */
  headers: HeaderMap;
}

/** RFC 3986 5.2.4 remove_dot_segments, on the path part only. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/').slice(1)) {
    if (segment === '..') out.pop();
    else if (segment !== '.') out.push(segment);
  }
  const last = path.split('/').at(-1);
  return `/${out.join('/')}${last === '.' || last === '..' ? '/' : ''}`;
}

function normalizedPath(raw: string, hcm: HttpConnectionManager): string {
  let bare = pathWithoutQuery(raw);
  const rest = raw.slice(bare.length);
  if (hcm.normalize_path?.value) bare = removeDotSegments(bare);
  if (hcm.merge_slashes) bare = bare.replace(/\/{2,}/g, '/');
  return bare + rest;
}

function normalizedAuthority(authority: string, hcm: HttpConnectionManager, declaredPort: number): string {
  if (hcm.strip_any_host_port) return stripPort(authority);
  if (hcm.strip_matching_host_port && authority.endsWith(`:${declaredPort}`)) return stripPort(authority);
  return authority;
}

export function readDownstreamRequest(
  req: http.IncomingMessage | http2.Http2ServerRequest,
  hcm: HttpConnectionManager,
  scheme: string,
  declaredPort: number,
): DownstreamRequest {
  const headers: HeaderMap = new Map();
  const raw = req.rawHeaders;
  let authority = '';
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    if (name === ':authority' || name === 'host') authority ||= value;
    // "te: trailers" is the one TE value that crosses a proxy (gRPC needs it), as Envoy keeps it.
    const trailersOnly = name === 'te' && value.trim().toLowerCase() === 'trailers';
    if (name.startsWith(':') || (HOP_BY_HOP.has(name) && !trailersOnly)) continue;
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return {
    method: String(req.method),
    scheme,
    authority: normalizedAuthority(authority, hcm, declaredPort),
    path: normalizedPath(String(req.url), hcm),
    headers,
  };
}

/** The headers the router matches on: the request's plus its pseudo-headers. */
export function matchHeaders(request: DownstreamRequest): HeaderMap {
  const all: HeaderMap = new Map(request.headers);
  all.set(':method', [request.method]);
  all.set(':path', [request.path]);
  all.set(':authority', [request.authority]);
  all.set(':scheme', [request.scheme]);
  return all;
}
