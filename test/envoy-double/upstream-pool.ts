// Requests to upstream hosts over real connections: HTTP/1.1 through keep-alive agents (TLS through
// https), HTTP/2 through one session per host and TLS settings (h2c when clear text). Responses come back
// as status, headers, a body stream and the trailers (HTTP/2), which is what a proxy needs to relay gRPC.
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import type * as tls from 'node:tls';
import type { HeaderMap } from './header-ops';
import type { Host } from './endpoints';
import { HOP_BY_HOP } from './downstream-request';

export interface UpstreamCall {
  host: Host;
  protocol: 'http1' | 'http2';
  tls?: tls.ConnectionOptions;
  method: string;
  authority: string;
  path: string;
  headers: HeaderMap;
  connectTimeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: HeaderMap;
  body: Readable;
  /** Resolves when the body ends: the trailers, if the upstream sent any. */
  trailers: Promise<HeaderMap | undefined>;
}

export interface UpstreamExchange {
  /** Write the request body here (end it, even when empty). */
  body: NodeJS.WritableStream;
  response: Promise<UpstreamResponse>;
  abort(): void;
}

function toHeaderMap(headers: http.IncomingHttpHeaders | http2.IncomingHttpHeaders): HeaderMap {
  const map: HeaderMap = new Map();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name)) continue;
    map.set(name, Array.isArray(value) ? value : [String(value)]);
  }
  return map;
}

function flatHeaders(headers: HeaderMap): Record<string, string | string[]> {
  return Object.fromEntries([...headers].map(([k, v]) => [k, v.length === 1 ? (v[0] ?? '') : v]));
}

export class UpstreamPool {
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly tlsAgent = new https.Agent({ keepAlive: true });
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();

  send(call: UpstreamCall): UpstreamExchange {
    return call.protocol === 'http2' ? this.sendHttp2(call) : this.sendHttp1(call);
  }

  close(): void {
    this.agent.destroy();
    this.tlsAgent.destroy();
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }

  private sendHttp1(call: UpstreamCall): UpstreamExchange {
    const options: https.RequestOptions = {
      host: call.host.address,
      port: call.host.port,
      method: call.method,
      path: call.path,
      headers: { ...flatHeaders(call.headers), host: call.authority },
      ...(call.tls ? { ...call.tls, agent: this.tlsAgent } : { agent: this.agent }),
    };
    const req = (call.tls ? https : http).request(options);
    const response = new Promise<UpstreamResponse>((resolve, reject) => {
      req.on('response', (res) => {
        const trailers = new Promise<HeaderMap | undefined>((done) =>
          res.on('end', () => done(toHeaderMap(res.trailers))),
        );
        resolve({ status: res.statusCode ?? 502, headers: toHeaderMap(res.headers), body: res, trailers });
      });
      // connect_timeout bounds connecting only (a pooled connection is already there); the route's
      // timeout covers the answer.
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => req.destroy(new Error('connection timeout')), call.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(timer));
        req.once('close', () => clearTimeout(timer));
      });
      req.on('error', reject);
    });
    return { body: req, response, abort: () => req.destroy() };
  }

  private session(call: UpstreamCall): http2.ClientHttp2Session {
    const key = `${call.tls ? 'https' : 'http'}://${call.host.address}:${call.host.port}/${call.tls?.servername ?? ''}`;
    const existing = this.sessions.get(key);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const session = http2.connect(
      `${call.tls ? 'https' : 'http'}://${call.host.address}:${call.host.port}`,
      call.tls ?? {},
    );
    const connectTimer = setTimeout(
      () => session.destroy(new Error('connection timeout')),
      call.connectTimeoutMs,
    );
    session.once('connect', () => clearTimeout(connectTimer));
    session.once('close', () => clearTimeout(connectTimer));
    session.on('error', () => this.sessions.delete(key));
    session.on('close', () => this.sessions.delete(key));
    this.sessions.set(key, session);
    return session;
  }

  private sendHttp2(call: UpstreamCall): UpstreamExchange {
    const stream = this.session(call).request({
      ...flatHeaders(call.headers),
      ':method': call.method,
      ':path': call.path,
      ':authority': call.authority,
      ':scheme': call.tls ? 'https' : 'http',
    });
    const response = new Promise<UpstreamResponse>((resolve, reject) => {
      const trailers = new Promise<HeaderMap | undefined>((done) => {
        stream.on('trailers', (t) => done(toHeaderMap(t)));
        stream.on('end', () => done(undefined));
        stream.on('close', () => done(undefined));
      });
      stream.on('response', (headers) =>
        resolve({
          status: Number(headers[':status']),
          headers: toHeaderMap(headers),
          body: stream,
          trailers,
        }),
      );
      stream.on('error', reject);
      stream.on('close', () => reject(new Error(`upstream reset (HTTP/2 code ${stream.rstCode})`)));
    });
    return { body: stream, response, abort: () => stream.close(http2.constants.NGHTTP2_CANCEL) };
  }
}
