// Envoy's local replies (no route, no cluster, no healthy upstream, timeouts, direct responses, redirects):
// status, a text/plain body when there is one, the route's response header mutations, and for gRPC requests
// the gRPC form: HTTP 200 with grpc-status mapped from the HTTP status and grpc-message the body (Envoy's
// httpToGrpcStatus table).
import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import type { HeaderMap } from './header-ops';

const GRPC_STATUS_OF_HTTP: Readonly<Record<number, number>> = {
  400: 13, // INTERNAL
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 12, // UNIMPLEMENTED
  429: 14, // UNAVAILABLE
  502: 14,
  503: 14,
  504: 14,
};

export type DownstreamResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface LocalReply {
  status: number;
  body?: string | Buffer;
  headers?: HeaderMap;
}

export function isGrpc(headers: HeaderMap): boolean {
  return (headers.get('content-type')?.[0] ?? '').startsWith('application/grpc');
}

/** Header map -> what writeHead takes (repeated values kept as arrays). */
export function outgoingHeaders(headers: HeaderMap): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of headers) out[name] = values.length === 1 ? (values[0] ?? '') : values;
  return out;
}

export function sendLocalReply(res: DownstreamResponse, reply: LocalReply, grpc: boolean): void {
  if (res.headersSent) return void res.destroy();
  const headers: HeaderMap = new Map(reply.headers ?? []);
  const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
  if (grpc && reply.status !== 200) {
    headers.set('content-type', ['application/grpc']);
    headers.set('grpc-status', [String(GRPC_STATUS_OF_HTTP[reply.status] ?? 2)]);
    if (body.length > 0) headers.set('grpc-message', [encodeURIComponent(body.toString())]);
    (res as http.ServerResponse).writeHead(200, outgoingHeaders(headers));
    return void res.end();
  }
  if (body.length > 0 && !headers.has('content-type')) headers.set('content-type', ['text/plain']);
  headers.set('content-length', [String(body.length)]);
  (res as http.ServerResponse).writeHead(reply.status, outgoingHeaders(headers));
  res.end(body);
}
