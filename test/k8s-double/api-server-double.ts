// An in-process Kubernetes API server double for tests: plain HTTP on 127.0.0.1, spoken to by the real
// @kubernetes/client-node. It serves discovery, list (resourceVersion, limit/continue, field and label
// selectors), chunked watch streams (ADDED/MODIFIED/DELETED, BOOKMARK, ERROR 410 Expired, 504 for a version
// it has not reached), get/create/update/patch/delete, the status subresource, Leases and Events. Tests steer
// it: change objects directly, drop watches, compact history, answer errors for a while, stop and restart on
// the same port, restore an older store (an etcd backup), and read the request log.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { applyPatch, type Operation } from 'fast-json-patch';
import { applyMergePatch } from './merge-patch';
import { ObjectStore, StoreError, type ChangeEvent, type WriteOptions } from './object-store';
import { apiVersionOf, findByPlural, type ResourceType } from './resources';
import {
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type Selector,
  type StoredObject,
} from './selectors';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  watch: boolean;
  status: number;
  contentType?: string;
}

/**
 * What an authorizer sees, as the real API server builds it: for a list or watch whose fieldSelector is
 * exactly `metadata.name=X`, the name is X (RBAC resourceNames then applies to lists and watches too).
 */
export interface RequestAttributes {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export interface ApiServerDoubleOptions {
  /** How often watches that asked for bookmarks get one. */
  bookmarkIntervalMs?: number;
}

interface ResourceRequest {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface ActiveWatch {
  res: http.ServerResponse;
  close(): void;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** Status reasons the real API server gives for the failures tests simulate. */
const FAILURE_REASONS: Readonly<Record<number, string>> = {
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class ApiServerDouble {
  private currentStore = new ObjectStore();
  readonly requests: RequestLogEntry[] = [];
  private server?: http.Server;
  private listenPort = 0;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new Set<ActiveWatch>();
  private failure?: { status: number; until: number; pathPrefix: string };
  private readonly bookmarkIntervalMs: number;
  /** Tokens the TokenReview API accepts (token -> whose, for which audiences), as the API server issued them. */
  readonly tokens = new Map<string, { namespace: string; serviceAccount: string; audiences: string[] }>();
  /** When set, a resource request it refuses is answered 403 Forbidden (RBAC in the tests' place). */
  authorize?: (attributes: RequestAttributes) => boolean;

  constructor(options: ApiServerDoubleOptions = {}) {
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1000;
  }

  static async start(options: ApiServerDoubleOptions = {}): Promise<ApiServerDouble> {
    const double = new ApiServerDouble(options);
    await double.listen();
    return double;
  }

  get store(): ObjectStore {
    return this.currentStore;
  }

  get port(): number {
    return this.listenPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.listenPort}`;
  }

  // ---- test controls -------------------------------------------------------------------------------------

  create(obj: StoredObject, options?: WriteOptions): StoredObject {
    return this.store.create(obj, options);
  }

  /** Replaces an object (no resourceVersion check unless the input carries one). */
  update(obj: StoredObject, options?: WriteOptions): StoredObject {
    return this.store.update(obj, options);
  }

  delete(
    obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } },
    options?: WriteOptions,
  ): StoredObject {
    return this.store.delete(this.store.resourceOf(obj), obj.metadata.namespace, obj.metadata.name, options);
  }

  get(apiVersion: string, kind: string, name: string, namespace?: string): StoredObject | undefined {
    return this.store.get(this.store.resourceOf({ apiVersion, kind }), namespace, name);
  }

  /** Starts serving more resource types, as installing CRDs does. */
  installResourceTypes(types: readonly ResourceType[]): void {
    for (const type of types) if (!this.store.types.includes(type)) this.store.types.push(type);
  }

  /** Cuts every open watch connection abruptly (socket destroyed mid-stream). */
  dropAllWatches(): void {
    for (const watch of [...this.watches]) {
      watch.close();
      watch.res.socket?.destroy();
    }
  }

  /** Ends every open watch cleanly, as a server-side watch timeout does. */
  endAllWatches(): void {
    for (const watch of [...this.watches]) {
      watch.close();
      watch.res.end();
    }
  }

  /** Writes a raw line into every open watch stream: a malformed event, garbage, anything. */
  injectIntoWatches(line: string): void {
    for (const watch of this.watches) watch.res.write(`${line}\n`);
  }

  get openWatchCount(): number {
    return this.watches.size;
  }

  /**
   * Serves another store from now on, as after restoring etcd from a backup: other objects, lower
   * resourceVersions (a fresh ObjectStore counts from 1000 again). Open watches are cut.
   */
  restoreStore(store: ObjectStore): void {
    this.currentStore = store;
    this.dropAllWatches();
  }

  /** Forgets change history; watches from older versions get ERROR 410 Expired and must relist. */
  compact(): void {
    this.store.compact();
  }

  /**
   * Answers every request with `status` for `durationMs` and drops open watches, as an outage would. With
   * `pathPrefix`, only requests under it fail (one API group down) and open watches are left alone.
   */
  failWith(status: number, durationMs: number, pathPrefix = ''): void {
    this.failure = { status, until: Date.now() + durationMs, pathPrefix };
    if (!pathPrefix) this.dropAllWatches();
  }

  /** Stops failing before the failWith() duration is over. */
  recover(): void {
    this.failure = undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.dropAllWatches();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port with the same objects and history. */
  async restart(): Promise<void> {
    await this.listen();
  }

  requestsFor(pathPrefix: string): RequestLogEntry[] {
    return this.requests.filter((entry) => entry.path.startsWith(pathPrefix));
  }

  // ---- HTTP ----------------------------------------------------------------------------------------------

  private async listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.sendStatus(res, 500, 'InternalError', String(err));
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.listenPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const query = Object.fromEntries(url.searchParams);
    const watch = query['watch'] === 'true' || query['watch'] === '1';
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      watch,
      status: 0,
      contentType: req.headers['content-type'],
    };
    this.requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    res.on('close', () => (entry.status ||= res.statusCode));
    const body = await readBody(req);

    if (this.failure && Date.now() < this.failure.until && url.pathname.startsWith(this.failure.pathPrefix)) {
      const { status } = this.failure;
      const reason = FAILURE_REASONS[status] ?? 'InternalError';
      this.sendStatus(res, status, reason, 'the API server double is failing on purpose');
      return;
    }
    if (req.method === 'POST' && url.pathname === '/apis/authentication.k8s.io/v1/tokenreviews') {
      sendJson(res, 201, this.tokenReview(body));
      return;
    }
    const discovery = this.discovery(url.pathname);
    if (discovery) {
      sendJson(res, 200, discovery);
      return;
    }
    const target = parseResourcePath(url.pathname, this.store.types);
    if (!target) {
      this.sendStatus(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${url.pathname})`,
      );
      return;
    }
    const attributes = requestAttributes(req.method ?? 'GET', target, url.searchParams, watch);
    if (this.authorize && !this.authorize(attributes)) {
      const { verb, resource, namespace, name } = attributes;
      const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
      const message = `${resource}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:kxds:kxds" cannot ${verb} resource "${resource}" in API group "${attributes.group}"${where}`;
      this.sendStatus(res, 403, 'Forbidden', message);
      return;
    }
    try {
      this.route(
        req.method ?? 'GET',
        target,
        url.searchParams,
        watch,
        body,
        req.headers['content-type'] ?? '',
        res,
      );
      // An open watch has answered 200 long before it finishes.
      if (res.headersSent && !entry.status) entry.status = res.statusCode;
    } catch (err) {
      if (err instanceof StoreError) this.sendStatus(res, err.code, err.reason, err.message);
      else if (err instanceof SelectorError) this.sendStatus(res, 400, 'BadRequest', err.message);
      else throw err;
    }
  }

  private route(
    method: string,
    target: ResourceRequest,
    params: URLSearchParams,
    watch: boolean,
    body: string,
    contentType: string,
    res: http.ServerResponse,
  ): void {
    const { resource, namespace, name, subresource } = target;
    if (subresource && !(subresource === 'status' && resource.hasStatus)) {
      this.sendStatus(res, 404, 'NotFound', `no subresource ${subresource} on ${resource.plural}`);
      return;
    }
    if (name === undefined) {
      if (method === 'GET' && watch) return this.watch(resource, namespace, params, res);
      if (method === 'GET') return sendJson(res, 200, this.list(resource, namespace, params));
      if (method === 'POST') {
        const input = parseJson(body);
        if (resource.namespaced) input.metadata.namespace = namespace ?? input.metadata.namespace;
        input.apiVersion ??= apiVersionOf(resource);
        input.kind ??= resource.kind;
        return sendJson(res, 201, this.store.create(input));
      }
      return this.sendStatus(res, 405, 'MethodNotAllowed', `${method} not allowed on a collection`);
    }
    const current = this.store.get(resource, namespace, name);
    if (method === 'GET') {
      if (!current) throw new StoreError(404, 'NotFound', `${resource.plural} "${name}" not found`);
      return sendJson(res, 200, current);
    }
    if (method === 'DELETE') return sendJson(res, 200, this.store.delete(resource, namespace, name));
    if (!current) throw new StoreError(404, 'NotFound', `${resource.plural} "${name}" not found`);
    let next: StoredObject;
    if (method === 'PUT') {
      next = parseJson(body);
    } else if (method === 'PATCH') {
      next = patchObject(current, body, contentType);
    } else {
      return this.sendStatus(res, 405, 'MethodNotAllowed', `${method} not allowed`);
    }
    next.apiVersion = apiVersionOf(resource);
    next.kind = resource.kind;
    next.metadata = { ...next.metadata, name, ...(resource.namespaced ? { namespace } : {}) };
    if (resource.hasStatus) {
      // The status subresource: each endpoint changes only its own half of the object.
      if (subresource === 'status') {
        const metadata = { ...current.metadata, resourceVersion: next.metadata.resourceVersion };
        next = { ...current, metadata, status: next['status'] };
      } else {
        next = { ...next, status: current['status'] };
      }
      if (next['status'] === undefined) delete next['status'];
    }
    sendJson(res, 200, this.store.update(next));
  }

  private list(resource: ResourceType, namespace: string | undefined, params: URLSearchParams): object {
    const matches = this.selector(params);
    let items = this.store
      .list(resource)
      .filter((obj) => namespace === undefined || obj.metadata.namespace === namespace)
      .filter(matches);
    let listRv = this.store.currentRv;
    const token = params.get('continue');
    if (token) {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { rv: number; after: string };
      if (parsed.rv < this.store.oldestWatchableRv) {
        throw new StoreError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result.',
        );
      }
      listRv = parsed.rv;
      items = items.filter((obj) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}` > parsed.after);
    }
    const limit = Number(params.get('limit') ?? 0);
    let next: string | undefined;
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      const last = items[items.length - 1];
      const after = `${last?.metadata.namespace ?? ''}/${last?.metadata.name ?? ''}`;
      next = Buffer.from(JSON.stringify({ rv: listRv, after })).toString('base64url');
    }
    return {
      kind: `${resource.kind}List`,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion: String(listRv), ...(next ? { continue: next } : {}) },
      // Like the real API server, list items carry no kind or apiVersion.
      items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest),
    };
  }

  private watch(
    resource: ResourceType,
    namespace: string | undefined,
    params: URLSearchParams,
    res: http.ServerResponse,
  ): void {
    const matches = this.selector(params);
    const visible = (event: ChangeEvent): boolean =>
      event.resource === resource &&
      (namespace === undefined || event.object.metadata.namespace === namespace) &&
      matches(event.object);
    const rvParam = params.get('resourceVersion') ?? '';
    const sinceRv = rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
    if (sinceRv !== undefined && sinceRv > this.store.currentRv) {
      // What the API server's watch cache answers (after waiting a few seconds) for a version it has not
      // seen: 504 with reason Timeout and the cause ResourceVersionTooLarge.
      sendJson(res, 504, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Too large resource version: ${sinceRv}, current: ${this.store.currentRv}`,
        reason: 'Timeout',
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] },
        code: 504,
      });
      return;
    }
    res.writeHead(200, { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const send = (type: string, object: unknown): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    if (sinceRv === undefined) {
      // No version: the current state as synthetic ADDED events, then changes.
      for (const obj of this.store.list(resource)) {
        if ((namespace === undefined || obj.metadata.namespace === namespace) && matches(obj))
          send('ADDED', obj);
      }
    } else {
      const missed = this.store.changesSince(sinceRv);
      if (!missed) {
        send('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${sinceRv} (${this.store.oldestWatchableRv})`,
          reason: 'Expired',
          code: 410,
        });
        res.end();
        return;
      }
      for (const event of missed) if (visible(event)) send(event.eventType, event.object);
    }
    const unsubscribe = this.store.subscribe((event) => {
      if (visible(event)) send(event.eventType, event.object);
    });
    const timers: NodeJS.Timeout[] = [];
    if (params.get('allowWatchBookmarks') === 'true') {
      timers.push(
        setInterval(() => {
          send('BOOKMARK', {
            kind: resource.kind,
            apiVersion: apiVersionOf(resource),
            metadata: { resourceVersion: String(this.store.currentRv) },
          });
        }, this.bookmarkIntervalMs),
      );
    }
    const timeoutSeconds = Number(params.get('timeoutSeconds') ?? 0);
    if (timeoutSeconds > 0) timers.push(setTimeout(() => res.end(), timeoutSeconds * 1000));
    const active: ActiveWatch = {
      res,
      close: () => {
        unsubscribe();
        for (const timer of timers) clearTimeout(timer);
        this.watches.delete(active);
      },
    };
    this.watches.add(active);
    res.on('close', active.close);
  }

  /** The TokenReview API: authenticated only for a known token whose audiences meet the requested ones. */
  private tokenReview(body: string): object {
    const spec = (tryParse(body)?.['spec'] ?? {}) as { token?: string; audiences?: string[] };
    const known = this.tokens.get(spec.token ?? '');
    const wanted = spec.audiences ?? [];
    const audiences = known?.audiences.filter((a) => wanted.length === 0 || wanted.includes(a)) ?? [];
    const status =
      known && audiences.length > 0
        ? {
            authenticated: true,
            audiences,
            user: {
              username: `system:serviceaccount:${known.namespace}:${known.serviceAccount}`,
              groups: ['system:serviceaccounts', `system:serviceaccounts:${known.namespace}`],
            },
          }
        : {
            authenticated: false,
            error: known ? 'token audiences are invalid for the target audiences' : 'invalid bearer token',
          };
    return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec, status };
  }

  private selector(params: URLSearchParams): Selector {
    const byField = parseFieldSelector(params.get('fieldSelector'));
    const byLabel = parseLabelSelector(params.get('labelSelector'));
    return (obj) => byField(obj) && byLabel(obj);
  }

  private discovery(path: string): object | undefined {
    if (path === '/version') {
      return { major: '1', minor: '33', gitVersion: 'v1.33.0-kxds-double', platform: 'linux/amd64' };
    }
    if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    const groups = [...new Set(this.store.types.filter((t) => t.group).map((t) => apiVersionOf(t)))];
    if (path === '/apis') {
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((gv) => {
          const [name = '', version = ''] = gv.split('/');
          const preferred = { groupVersion: gv, version };
          return { name, versions: [preferred], preferredVersion: preferred };
        }),
      };
    }
    const gv =
      path === '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.slice('/apis/'.length) : undefined;
    if (gv === undefined || (gv !== 'v1' && !groups.includes(gv))) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv,
      resources: this.store.types
        .filter((t) => apiVersionOf(t) === gv)
        .flatMap((t) => {
          const main = {
            name: t.plural,
            singularName: t.kind.toLowerCase(),
            namespaced: t.namespaced,
            kind: t.kind,
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          };
          const status = {
            name: `${t.plural}/status`,
            singularName: '',
            namespaced: t.namespaced,
            kind: t.kind,
            verbs: ['get', 'patch', 'update'],
          };
          return t.hasStatus ? [main, status] : [main];
        }),
    };
  }

  private sendStatus(res: http.ServerResponse, code: number, reason: string, message: string): void {
    sendJson(res, code, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    });
  }
}

const VERBS: Readonly<Record<string, RequestAttributes['verb']>> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

function requestAttributes(
  method: string,
  target: ResourceRequest,
  params: URLSearchParams,
  watch: boolean,
): RequestAttributes {
  const { resource, namespace, subresource } = target;
  let name = target.name;
  const verb = VERBS[method] ?? (watch ? 'watch' : name ? 'get' : 'list');
  const selected = /^metadata\.name==?([^,]+)$/.exec(params.get('fieldSelector') ?? '');
  if (name === undefined && (verb === 'list' || verb === 'watch') && selected) name = selected[1];
  return {
    verb,
    group: resource.group,
    resource: subresource ? `${resource.plural}/${subresource}` : resource.plural,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/** /api/v1/..., /apis/GROUP/VERSION/... -> resource type, namespace, name, subresource. */
function parseResourcePath(path: string, types: readonly ResourceType[]): ResourceRequest | undefined {
  const parts = path.split('/').filter(Boolean);
  let group = '';
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (!version) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const resource = findByPlural(group, version, rest[2] ?? '', types);
    if (resource?.namespaced) {
      return { resource, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const resource = findByPlural(group, version, rest[0] ?? '', types);
  if (!resource) return undefined;
  return { resource, name: rest[1], subresource: rest[2] };
}

function patchObject(current: StoredObject, body: string, contentType: string): StoredObject {
  const type = contentType.split(';')[0]?.trim();
  if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') {
    const patch = tryParse(body);
    if (!patch || typeof patch !== 'object')
      throw new StoreError(400, 'BadRequest', 'merge patch is not a JSON object');
    return applyMergePatch(current, patch) as StoredObject;
  }
  if (type === 'application/json-patch+json') {
    const ops = JSON.parse(body) as Operation[];
    try {
      return applyPatch(structuredClone(current), ops, true, false).newDocument;
    } catch (err) {
      throw new StoreError(422, 'Invalid', `json patch failed: ${String(err)}`);
    }
  }
  throw new StoreError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format: ${type}`,
  );
}

function parseJson(body: string): StoredObject {
  const parsed = tryParse(body);
  if (!parsed || typeof parsed !== 'object' || typeof parsed.metadata !== 'object') {
    throw new StoreError(400, 'BadRequest', 'request body is not a Kubernetes object');
  }
  return parsed as StoredObject;
}

function tryParse(
  body: string,
):
  | ({ metadata?: { resourceVersion?: unknown } & Record<string, unknown> } & Record<string, unknown>)
  | undefined {
  try {
    return JSON.parse(body) as ReturnType<typeof tryParse>;
  } catch {
    return undefined;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, JSON_TYPE);
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
