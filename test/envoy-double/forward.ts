// The router's forwarding: pick the cluster's next usable host, build the upstream request (header
// mutations of every level, x-forwarded-proto, x-forwarded-for with use_remote_address, x-request-id when
// absent, x-forwarded-client-cert as the connection manager leaves it, x-envoy-original-path after a rewrite, the rewritten host), relay the response with its header
// mutations and trailers, answer 504 when the route timeout passes first, and shadow the request to the
// mirror clusters (fire and forget, authority + "-shadow").
import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import type { Readable } from 'node:stream';
import type { Cluster } from '../../src/xds/types';
import type { ConfigStore } from './config-store';
import type { ConnectionContext } from './downstream';
import type { DownstreamRequest } from './downstream-request';
import { clusterHosts, type RoundRobin } from './endpoints';
import { applyHeaderLevels, type HeaderMap } from './header-ops';
import { outgoingHeaders, sendLocalReply, type DownstreamResponse } from './local-reply';
import type { RouteDecision } from './route-decision';
import { durationToMs } from './timeouts';
import { applyClientCertHeader } from './client-certificates';
import { upstreamProtocol, upstreamTlsOptions } from './upstream-cluster';
import type { UpstreamPool } from './upstream-pool';
import { stripPort } from './virtual-host';

export interface ForwardDeps {
  config: ConfigStore;
  pool: UpstreamPool;
  roundRobin: RoundRobin;
}

type Forward = Extract<RouteDecision, { kind: 'forward' }>;

const CONNECT_FAILURE =
  'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

function readBody(req: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startExchange(
  deps: ForwardDeps,
  cluster: Cluster,
  request: { method: string; path: string; authority: string; headers: HeaderMap },
  autoHost: boolean,
) {
  const host = deps.roundRobin.pick(cluster, await clusterHosts(cluster, deps.config.endpoints(cluster)));
  if (!host) return undefined;
  const protocol = upstreamProtocol(cluster);
  const authority = autoHost && host.hostname ? host.hostname : request.authority;
  return deps.pool.send({
    host,
    protocol,
    tls: upstreamTlsOptions(cluster, protocol),
    method: request.method,
    path: request.path,
    authority,
    headers: request.headers,
    connectTimeoutMs: durationToMs(cluster.connect_timeout) ?? 5000,
  });
}

/** Envoy's shadow authority: "-shadow" after the host, before any port ("foo:8080" -> "foo-shadow:8080"). */
function shadowAuthority(authority: string): string {
  const host = stripPort(authority);
  return `${host}-shadow${authority.slice(host.length)}`;
}

function mirror(
  deps: ForwardDeps,
  names: readonly string[],
  request: { method: string; path: string; authority: string; headers: HeaderMap },
  body: Buffer,
): void {
  for (const name of names) {
    const cluster = deps.config.activeCluster(name);
    if (!cluster) continue;
    void startExchange(deps, cluster, { ...request, authority: shadowAuthority(request.authority) }, false)
      .then((exchange) => {
        exchange?.body.end(body);
        return exchange?.response.then((r) => r.body.resume());
      })
      .catch(() => undefined);
  }
}

export async function forward(
  deps: ForwardDeps,
  context: ConnectionContext,
  request: DownstreamRequest,
  decision: Forward,
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: DownstreamResponse,
  grpc: boolean,
): Promise<void> {
  const cluster = deps.config.activeCluster(decision.cluster);
  if (!cluster) return sendLocalReply(res, { status: decision.clusterNotFoundStatus }, grpc);
  const headers: HeaderMap = new Map(request.headers);
  applyHeaderLevels(headers, decision.levels.request, decision.levels.mostSpecificWins);
  if (context.hcm.use_remote_address?.value)
    headers.set('x-forwarded-for', [
      [...(headers.get('x-forwarded-for') ?? []), context.remoteAddress].join(','),
    ]);
  // At the edge (use_remote_address) the connection's scheme is the truth; inside, a client's claim stays.
  if (context.hcm.use_remote_address?.value || !headers.has('x-forwarded-proto'))
    headers.set('x-forwarded-proto', [context.scheme]);
  if (!headers.has('x-request-id')) headers.set('x-request-id', [randomUUID()]);
  applyClientCertHeader(context.hcm, req.socket, headers);
  if (decision.path !== request.path) headers.set('x-envoy-original-path', [request.path]);
  const upstreamRequest = {
    method: request.method,
    path: decision.path,
    authority: decision.hostRewrite ?? request.authority,
    headers,
  };
  const body = decision.mirrors.length > 0 ? await readBody(req) : undefined;
  const exchange = await startExchange(deps, cluster, upstreamRequest, decision.autoHostRewrite);
  if (!exchange) return sendLocalReply(res, { status: 503, body: 'no healthy upstream' }, grpc);
  if (body) {
    exchange.body.end(body);
    mirror(deps, decision.mirrors, upstreamRequest, body);
  } else (req as Readable).pipe(exchange.body as NodeJS.WritableStream);
  let timedOut = false;
  const timer =
    decision.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          exchange.abort();
          sendLocalReply(res, { status: 504, body: 'upstream request timeout' }, grpc);
        }, decision.timeoutMs);
  let finished = false;
  // A client that goes away cancels the upstream request, as Envoy resets the upstream stream.
  res.on('close', () => {
    clearTimeout(timer);
    if (!finished) exchange.abort();
  });
  (req as Readable).on('error', () => exchange.abort());
  let response;
  try {
    response = await exchange.response;
  } catch {
    clearTimeout(timer);
    // After a timeout the 504 is already on its way; otherwise the upstream failed before answering.
    return timedOut ? undefined : sendLocalReply(res, { status: 503, body: CONNECT_FAILURE }, grpc);
  }
  // An upstream that resets in the middle of its body resets the downstream response too.
  response.body.on('error', () => res.destroy());
  if (res.headersSent || res.writableEnded) return void response.body.resume();
  const out: HeaderMap = new Map(response.headers);
  applyHeaderLevels(out, decision.levels.response, decision.levels.mostSpecificWins);
  out.set('server', ['envoy']);
  (res as http.ServerResponse).writeHead(response.status, outgoingHeaders(out));
  response.body.on('data', (chunk: Buffer) => void (res as http.ServerResponse).write(chunk));
  const trailers = await response.trailers;
  await new Promise<void>((resolve) =>
    response.body.readableEnded ? resolve() : response.body.once('end', () => resolve()),
  );
  clearTimeout(timer);
  finished = true;
  // Trailers travel only over HTTP/2 downstream (gRPC); an HTTP/1.1 response here is not chunked-with-trailers.
  if (trailers && trailers.size > 0 && req.httpVersionMajor === 2) res.addTrailers(outgoingHeaders(trailers));
  res.end();
}
