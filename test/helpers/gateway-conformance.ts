// The setting of the HTTPRoute conformance-style e2e suites (after the upstream suite's
// gateway-conformance-infra): echo backends on loopback, the Services that point at them, a ReferenceGrant
// for one other namespace, and a small client for what came back through the Envoy double.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchedObject } from '../../src/model/k8s';
import { startEchoBackend, type EchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { request, type Reply } from './edge-double-fixture';
import { backend, gatewayObject } from './gateway-double';

export const CONFORMANCE_NS = 'gateway-conformance-infra';
export const CONFORMANCE_LISTENER_PORT = 8080;

const NAMES = ['v1', 'v2', 'v3', 'mirror', 'other', 'mirror2', 'h2c'] as const;
export type ConformanceBackends = Record<(typeof NAMES)[number] | 'slow', EchoBackend>;

/** The backends (closed when the test ends) and the Gateway, Services and ReferenceGrant for them. */
export async function conformanceInfra(
  t: TestContext,
): Promise<{ echo: ConformanceBackends; objects: WatchedObject[] }> {
  const started = await Promise.all(NAMES.map((n, i) => startEchoBackend(n, { host: `127.0.0.${21 + i}` })));
  const slow = await startEchoBackend('slow', { host: '127.0.0.30', delayMs: 3000 });
  t.after(() => Promise.all([...started, slow].map((b) => b.close())));
  const echo = Object.fromEntries([...started, slow].map((b) => [b.name, b])) as ConformanceBackends;
  const ns = CONFORMANCE_NS;
  const objects: WatchedObject[] = [
    gatewayObject(CONFORMANCE_LISTENER_PORT),
    ...backend(ns, 'infra-backend-v1', echo.v1),
    ...backend(ns, 'infra-backend-v2', echo.v2),
    ...backend(ns, 'infra-backend-v3', echo.v3),
    ...backend(ns, 'mirror-backend', echo.mirror),
    ...backend(ns, 'slow-backend', slow),
    ...backend(ns, 'mirror2-backend', echo.mirror2),
    ...backend(ns, 'h2c-backend', echo.h2c, { appProtocol: 'kubernetes.io/h2c' }),
    ...backend('granted', 'web', echo.other),
    ...backend('denied', 'web', echo.other),
    {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'from-infra', namespace: 'granted' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: ns }],
        to: [{ group: '', kind: 'Service' }],
      },
    } as WatchedObject,
  ];
  return { echo, objects };
}

export interface ConformanceClient {
  get(path: string, headers?: Record<string, string>, method?: string): Promise<Reply>;
  /** What the backend saw, asserting a 200. */
  echoed(path: string, headers?: Record<string, string>, method?: string): Promise<EchoedRequest>;
  backendOf(path: string, headers?: Record<string, string>, method?: string): Promise<string>;
  /** The Location of a redirect, asserting its status. */
  location(path: string, status?: number): Promise<URL>;
}

export function conformanceClient(port: number): ConformanceClient {
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    request(port, 'example.com', path, headers, method);
  const echoed = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
    const reply = await get(path, headers, method);
    assert.equal(reply.status, 200, `${method} ${path}: ${reply.status} ${reply.body}`);
    return JSON.parse(reply.body) as EchoedRequest;
  };
  return {
    get,
    echoed,
    backendOf: async (path, headers, method) => (await echoed(path, headers, method)).backend,
    location: async (path, status = 302) => {
      const reply = await get(path);
      assert.equal(reply.status, status, `${path}: ${reply.status}`);
      return new URL(String(reply.headers.location));
    },
  };
}

export const ref = (name: string, extra: Record<string, unknown> = {}) => ({ name, port: 80, ...extra });
export const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });
