// The admin HTTP server: health, readiness, and whatever routes other modules register (metrics, debug
// JSON, the status page), with `/` listing them all. Plain node:http: a handful of GET routes needs no
// framework.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log';
import { BUILD_INFO } from '../version';

export type RouteHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
) => void | Promise<void>;

export class AdminServer {
  private readonly routes = new Map<string, { handler: RouteHandler; description: string }>();
  private readonly server: http.Server;

  constructor(
    private readonly logger: Logger,
    /** Undefined when ready, else why not (the 503's text). */
    notReadyReason: () => string | undefined,
  ) {
    this.route('/', (_req, res) => sendText(res, 200, this.index()), 'this list');
    this.route('/healthz', (_req, res) => sendText(res, 200, 'ok\n'), 'liveness: 200 while the process runs');
    this.route(
      '/readyz',
      (_req, res) => {
        const reason = notReadyReason();
        sendText(res, reason ? 503 : 200, reason ? `not ready: ${reason}\n` : 'ready\n');
      },
      'readiness: 200 once the first complete snapshot is built (and the TLS certificates are loaded)',
    );
    this.route(
      '/version',
      (_req, res) => sendJson(res, 200, BUILD_INFO),
      'the kxds and Node.js versions (JSON)',
    );
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
  }

  /** Adds a GET route; the description is what `/` says about it. */
  route(path: string, handler: RouteHandler, description = ''): void {
    this.routes.set(path, { handler, description });
  }

  /** The text `/` serves: every route and what it is, in path order. */
  private index(): string {
    const paths = [...this.routes.keys()].sort();
    const width = Math.max(...paths.map((p) => p.length));
    const lines = paths.map((p) => `${p.padEnd(width)}  ${this.routes.get(p)?.description ?? ''}`.trimEnd());
    return `kxds admin endpoints:\n${lines.join('\n')}\n`;
  }

  async listen(hostPort: string): Promise<number> {
    const { host, port } = splitHostPort(hostPort);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The request target is a path: appended, not resolved, so "//x" is not read as a host (a path that
    // still does not parse, like "//%00" resolved, is a 400, never a rejection that ends the process).
    let url: URL;
    try {
      url = new URL(`http://admin${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`);
    } catch {
      return sendText(res, 400, 'bad request target\n');
    }
    const handler = this.routes.get(url.pathname)?.handler;
    if (!handler) return sendText(res, 404, `no such page: ${url.pathname} (GET / lists the pages)\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'only GET\n');
    try {
      await handler(req, res, url);
    } catch (err) {
      this.logger.error({ err, path: url.pathname }, 'admin handler failed');
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.end();
    }
  }
}

export function sendText(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body, null, 2) + '\n', 'application/json');
}

/** "HOST:PORT", "[::1]:PORT" or ":PORT". */
export function splitHostPort(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  if (!match) throw new Error(`invalid address "${value}": expected HOST:PORT`);
  const port = Number(match[3]);
  if (port > 65535) throw new Error(`invalid address "${value}": port out of range`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
