// The one doorway to @kubernetes/client-node. The package is ESM-only ("type": "module") while kxds compiles
// to CommonJS ("module": "node16"), so it is loaded with a dynamic import() (kept as import() by tsc) and
// only its types are imported statically. KubeClient bundles the loaded module, the KubeConfig and a small
// JSON request helper that reuses client-node's own transport and authentication (tokens, client
// certificates, exec plugins), so raw list/patch calls see exactly the objects the API server sent.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadKubeConfig, type KubeConfigOptions } from './kube-config';

export type K8sModule = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });

let modulePromise: Promise<K8sModule> | undefined;

export function loadClientNode(): Promise<K8sModule> {
  modulePromise ??= import('@kubernetes/client-node');
  return modulePromise;
}

/** An API error with the HTTP status and the Status reason the server gave (NotFound, Conflict, Expired...). */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface KubeRequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Defaults to application/json; patches name their type (application/merge-patch+json, ...). */
  contentType?: string;
  /** Bounds the whole request; default 30 s. */
  timeoutMs?: number;
}

export interface KubeClient {
  readonly k8s: K8sModule;
  readonly config: KubeConfig;
  /** Where the configuration came from, for logs ("kubeconfig /path", "in-cluster"). */
  readonly origin: string;
  /** The API server URL, for logs. */
  readonly server: string;
  request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options?: KubeRequestOptions,
  ): Promise<T>;
}

export async function connectKube(options: KubeConfigOptions = {}): Promise<KubeClient> {
  const k8s = await loadClientNode();
  const { config, origin } = loadKubeConfig(k8s, options);
  return kubeClientFor(k8s, config, origin);
}

export function kubeClientFor(k8s: K8sModule, config: KubeConfig, origin: string): KubeClient {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error(`Kubernetes configuration from ${origin} has no current cluster`);
  const server = cluster.server.replace(/\/+$/, '');
  const transport = new k8s.IsomorphicFetchHttpLibrary();
  return {
    k8s,
    config,
    origin,
    server,
    async request<T>(method: KubeRequestMethod, path: string, opts: KubeRequestOptions = {}): Promise<T> {
      const url = new URL(server + path);
      for (const [key, value] of Object.entries(opts.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const ctx = new k8s.RequestContext(url.toString(), method);
      ctx.setHeaderParam('Accept', 'application/json');
      if (opts.body !== undefined) {
        ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
        ctx.setBody(JSON.stringify(opts.body));
      }
      ctx.setSignal(AbortSignal.timeout(opts.timeoutMs ?? 30_000));
      await config.applySecurityAuthentication(ctx);
      const response = await transport.send(ctx).toPromise();
      const text = await response.body.text();
      if (response.httpStatusCode >= 300) throw apiError(response.httpStatusCode, text, `${method} ${path}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

type KubeRequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function apiError(statusCode: number, text: string, what: string): KubeApiError {
  let reason = '';
  let message = text.slice(0, 300);
  try {
    const status = JSON.parse(text) as { reason?: string; message?: string };
    reason = status.reason ?? '';
    message = status.message ?? message;
  } catch {
    // Not a Status object (a proxy's error page, say): keep the start of the text.
  }
  return new KubeApiError(statusCode, reason, `${what}: ${statusCode} ${reason} ${message}`.trim());
}

/** The HTTP status of an error from client-node or KubeClient.request, if it has one. */
export function statusCodeOf(err: unknown): number | undefined {
  if (err && typeof err === 'object') {
    const e = err as { statusCode?: unknown; code?: unknown };
    if (typeof e.statusCode === 'number') return e.statusCode;
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}
