// HTTPRoute conformance-style tests through the Envoy double, after the upstream suite
// (conformance/tests/httproute-*.go): matching (path, headers, query, method), request and response header
// modifiers (rule and backendRef level), redirects (scheme, hostname, port, path; 301/302/303/307/308), URL
// rewrites, mirrors (several on a named rule, a 0% one never sent), weights (exact, with the double's
// injectable random), request and backendRequest timeouts, an h2c backend, cross-namespace backends with and
// without a ReferenceGrant, an unresolved backend's share answering 500, and an ExtensionRef answering 500.
// Route rules are translated by the Gateway front-end's route half and served over real ADS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { request } from '../helpers/edge-double-fixture';
import { eventually } from '../helpers/eventually';
import { backend, gatewayObject, routeObject, serveRoutesToDouble } from '../helpers/gateway-double';
import type { WatchedObject } from '../../src/model/k8s';

const LISTENER_PORT = 8080;
const NS = 'gateway-conformance-infra';
const ref = (name: string, extra: Record<string, unknown> = {}) => ({ name, port: 80, ...extra });
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });

test('HTTPRoute rules through the Envoy double', { timeout: 90_000 }, async (t) => {
  const names = ['v1', 'v2', 'v3', 'mirror', 'other', 'mirror2', 'h2c'] as const;
  const echo = Object.fromEntries(
    await Promise.all(
      names.map(async (n, i) => [n, await startEchoBackend(n, { host: `127.0.0.${21 + i}` })]),
    ),
  ) as Record<(typeof names)[number], Awaited<ReturnType<typeof startEchoBackend>>>;
  const slow = await startEchoBackend('slow', { host: '127.0.0.30', delayMs: 3000 });
  t.after(() => Promise.all([...Object.values(echo), slow].map((b) => b.close())));

  const objects: WatchedObject[] = [
    gatewayObject(LISTENER_PORT),
    ...backend(NS, 'infra-backend-v1', echo.v1),
    ...backend(NS, 'infra-backend-v2', echo.v2),
    ...backend(NS, 'infra-backend-v3', echo.v3),
    ...backend(NS, 'mirror-backend', echo.mirror),
    ...backend(NS, 'slow-backend', slow),
    ...backend(NS, 'mirror2-backend', echo.mirror2),
    ...backend(NS, 'h2c-backend', echo.h2c, { appProtocol: 'kubernetes.io/h2c' }),
    ...backend('granted', 'web', echo.other),
    ...backend('denied', 'web', echo.other),
    {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'from-infra', namespace: 'granted' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS }],
        to: [{ group: '', kind: 'Service' }],
      },
    } as WatchedObject,
    // HTTPRouteMatching
    routeObject('HTTPRoute', NS, 'matching', [
      {
        matches: [prefix('/'), { headers: [{ name: 'version', value: 'one' }] }],
        backendRefs: [ref('infra-backend-v1')],
      },
      {
        matches: [prefix('/v2'), { headers: [{ name: 'version', value: 'two' }] }],
        backendRefs: [ref('infra-backend-v2')],
      },
    ]),
    // HTTPRouteQueryParamMatching, HTTPRouteMethodMatching
    routeObject('HTTPRoute', NS, 'query-and-method', [
      {
        matches: [{ ...prefix('/q'), queryParams: [{ name: 'animal', value: 'whale' }] }],
        backendRefs: [ref('infra-backend-v2')],
      },
      {
        matches: [
          {
            ...prefix('/q'),
            queryParams: [{ name: 'color', type: 'RegularExpression', value: 'bl(ue|ack)' }],
          },
        ],
        backendRefs: [ref('infra-backend-v3')],
      },
      { matches: [{ ...prefix('/m'), method: 'POST' }], backendRefs: [ref('infra-backend-v2')] },
      { matches: [prefix('/m')], backendRefs: [ref('infra-backend-v3')] },
    ]),
    // HTTPRouteRequestHeaderModifier, HTTPRouteResponseHeaderModifier
    routeObject('HTTPRoute', NS, 'headers', [
      {
        matches: [prefix('/headers')],
        filters: [
          {
            type: 'RequestHeaderModifier',
            requestHeaderModifier: {
              set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }],
              add: [{ name: 'X-Header-Add', value: 'add-appends-values' }],
              remove: ['X-Header-Remove'],
            },
          },
          {
            type: 'ResponseHeaderModifier',
            responseHeaderModifier: {
              set: [{ name: 'X-Resp-Set', value: 'set' }],
              remove: ['x-echo-backend'],
            },
          },
        ],
        backendRefs: [ref('infra-backend-v1')],
      },
    ]),
    // HTTPRouteRedirectScheme, HTTPRouteRedirectHostAndStatus, HTTPRouteRedirectPort, HTTPRouteRedirectPath
    routeObject('HTTPRoute', NS, 'redirects', [
      {
        matches: [prefix('/scheme')],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }],
      },
      {
        matches: [prefix('/hostname')],
        filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'example.org', statusCode: 301 } }],
      },
      { matches: [prefix('/port')], filters: [{ type: 'RequestRedirect', requestRedirect: { port: 8083 } }] },
      {
        matches: [prefix('/path-prefix')],
        filters: [
          {
            type: 'RequestRedirect',
            requestRedirect: {
              path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/replacement-prefix' },
            },
          },
        ],
      },
      ...([303, 307, 308] as const).map((code) => ({
        matches: [prefix(`/code-${code}`)],
        filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: code } }],
      })),
      {
        matches: [prefix('/full-path')],
        filters: [
          {
            type: 'RequestRedirect',
            requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/full-path-replacement' } },
          },
        ],
      },
    ]),
    // HTTPRouteRewritePath, HTTPRouteRewriteHost
    routeObject('HTTPRoute', NS, 'rewrites', [
      {
        matches: [prefix('/prefix/one')],
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/one' } },
          },
        ],
        backendRefs: [ref('infra-backend-v1')],
      },
      {
        matches: [prefix('/strip-prefix')],
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
          },
        ],
        backendRefs: [ref('infra-backend-v1')],
      },
      {
        matches: [prefix('/full/one')],
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: {
              hostname: 'one.example.org',
              path: { type: 'ReplaceFullPath', replaceFullPath: '/one' },
            },
          },
        ],
        backendRefs: [ref('infra-backend-v1')],
      },
    ]),
    // HTTPRouteRequestMirror, HTTPRouteWeight, HTTPRouteRequestTimeout, HTTPRouteCrossNamespace, HTTPRouteInvalidBackendRefUnknownKind...
    routeObject('HTTPRoute', NS, 'traffic', [
      {
        name: 'named-rule',
        matches: [prefix('/mirrors')],
        filters: [
          { type: 'RequestMirror', requestMirror: { backendRef: ref('mirror-backend') } },
          { type: 'RequestMirror', requestMirror: { backendRef: ref('mirror2-backend'), percent: 0 } },
        ],
        backendRefs: [ref('infra-backend-v1')],
      },
      {
        matches: [prefix('/backend-headers')],
        backendRefs: [
          ref('infra-backend-v2', {
            filters: [
              {
                type: 'RequestHeaderModifier',
                requestHeaderModifier: { set: [{ name: 'X-Backend', value: 'v2' }] },
              },
            ],
          }),
        ],
      },
      {
        matches: [prefix('/backend-timeout')],
        timeouts: { request: '10s', backendRequest: '500ms' },
        backendRefs: [ref('slow-backend')],
      },
      { matches: [prefix('/h2c')], backendRefs: [ref('h2c-backend')] },
      {
        matches: [prefix('/mirror')],
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('mirror-backend') } }],
        backendRefs: [ref('infra-backend-v1')],
      },
      {
        matches: [prefix('/weights')],
        backendRefs: [
          ref('infra-backend-v1', { weight: 70 }),
          ref('infra-backend-v2', { weight: 30 }),
          ref('infra-backend-v3', { weight: 0 }),
        ],
      },
      { matches: [prefix('/timeout')], timeouts: { request: '500ms' }, backendRefs: [ref('slow-backend')] },
      { matches: [prefix('/granted')], backendRefs: [ref('web', { namespace: 'granted' })] },
      { matches: [prefix('/denied')], backendRefs: [ref('web', { namespace: 'denied' })] },
      { matches: [prefix('/half')], backendRefs: [ref('infra-backend-v1'), ref('does-not-exist')] },
      {
        matches: [prefix('/extension')],
        filters: [
          { type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Filter', name: 'f' } },
        ],
        backendRefs: [ref('infra-backend-v1')],
      },
    ]),
  ];
  let draw = 0;
  const served = await serveRoutesToDouble(t, objects, LISTENER_PORT, () => ((draw++ % 100) + 0.5) / 100);
  const port = served.port;
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    request(port, 'example.com', path, headers, method);
  const echoed = async (
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<EchoedRequest> => {
    const reply = await get(path, headers, method);
    assert.equal(reply.status, 200, `${method} ${path}: ${reply.status} ${reply.body}`);
    return JSON.parse(reply.body) as EchoedRequest;
  };
  const backendOf = async (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    (await echoed(path, headers, method)).backend;

  // Matching: element-wise prefixes, header alternatives, query parameters and methods.
  assert.equal(await backendOf('/'), 'v1');
  assert.equal(await backendOf('/example'), 'v1');
  assert.equal(await backendOf('/', { version: 'one' }), 'v1');
  assert.equal(await backendOf('/v2'), 'v2');
  assert.equal(await backendOf('/v2/example'), 'v2');
  assert.equal(await backendOf('/', { version: 'two' }), 'v2');
  assert.equal(await backendOf('/v2example'), 'v1', 'PathPrefix is element-wise');
  assert.equal(await backendOf('/foo/v2/example'), 'v1');
  assert.equal(await backendOf('/q?animal=whale'), 'v2');
  assert.equal(await backendOf('/q?color=black'), 'v3');
  assert.equal(await backendOf('/q?animal=dolphin'), 'v1', 'no query match: the catch-all rule');
  assert.equal(await backendOf('/m', {}, 'POST'), 'v2');
  assert.equal(await backendOf('/m'), 'v3');

  // Header modifiers: what the backend saw and what the client got.
  const headers = await get('/headers', {
    'X-Header-Set': 'original',
    'X-Header-Add': 'original',
    'X-Header-Remove': 'gone',
  });
  assert.equal(headers.status, 200);
  const seen = (JSON.parse(headers.body) as EchoedRequest).headers;
  assert.equal(seen['x-header-set'], 'set-overwrites-values');
  assert.match(String(seen['x-header-add']), /original.*add-appends-values/);
  assert.equal(seen['x-header-remove'], undefined);
  assert.equal(headers.headers['x-resp-set'], 'set');
  assert.equal(headers.headers['x-echo-backend'], undefined, 'a response header removed');

  // Redirects: scheme (its well-known port), hostname with status, explicit port, path prefix and full path.
  const location = async (path: string, status = 302): Promise<URL> => {
    const reply = await get(path);
    assert.equal(reply.status, status, `${path}: ${reply.status}`);
    return new URL(String(reply.headers.location));
  };
  const scheme = await location('/scheme');
  assert.deepEqual([scheme.protocol, scheme.hostname, scheme.pathname], ['https:', 'example.com', '/scheme']);
  assert.ok(['', '443'].includes(scheme.port), `https redirect port ${scheme.port}`);
  const host = await location('/hostname/x', 301);
  assert.deepEqual(
    [host.protocol, host.hostname, host.port, host.pathname],
    ['http:', 'example.org', '8080', '/hostname/x'],
  );
  const explicit = await location('/port');
  assert.deepEqual([explicit.hostname, explicit.port], ['example.com', '8083']);
  assert.equal((await location('/path-prefix/foo?q=1')).pathname, '/replacement-prefix/foo');
  assert.equal((await location('/path-prefix')).pathname, '/replacement-prefix');
  assert.equal((await location('/full-path/anything')).pathname, '/full-path-replacement');

  // Rewrites: the path and Host the backend received.
  assert.equal((await echoed('/prefix/one/two')).path, '/one/two');
  assert.equal((await echoed('/strip-prefix/three')).path, '/three');
  assert.equal((await echoed('/strip-prefix')).path, '/');
  const full = await echoed('/full/one/two?x=1');
  assert.deepEqual([full.path, full.host], ['/one?x=1', 'one.example.org']);

  // Mirror: the backend answers, and the mirror gets a copy.
  assert.equal(await backendOf('/mirror/x'), 'v1');
  await eventually('the mirror backend to get the copy', () =>
    echo.mirror.received.some((r) => r.path === '/mirror/x') ? true : undefined,
  );

  // Status codes 303, 307, 308.
  for (const code of [303, 307, 308])
    assert.equal((await location(`/code-${code}`, code)).pathname, `/code-${code}`);

  // Two mirrors on a named rule: the full one gets a copy, the 0% one never does.
  assert.equal(await backendOf('/mirrors/x'), 'v1');
  await eventually('the full mirror to get its copy', () =>
    echo.mirror.received.some((r) => r.path === '/mirrors/x') ? true : undefined,
  );
  assert.equal(echo.mirror2.received.length, 0, 'a 0% mirror is never sent');

  // A backendRef's own header modifier, a backendRequest timeout, and an h2c backend.
  assert.equal((await echoed('/backend-headers')).headers['x-backend'], 'v2');
  assert.equal((await get('/backend-timeout')).status, 504);
  assert.equal((await echoed('/h2c')).protocol, 'HTTP/2.0', 'appProtocol kubernetes.io/h2c: HTTP/2 upstream');

  // Weights 70/30/0: exactly 70 and 30 of 100 draws, none for the weight-0 backend.
  draw = 0;
  const counts: Record<string, number> = {};
  for (let i = 0; i < 100; i++) {
    const b = await backendOf(`/weights/${i}`);
    counts[b] = (counts[b] ?? 0) + 1;
  }
  assert.deepEqual(counts, { v1: 70, v2: 30 });

  // Timeouts: the slow backend answers after 3 s; the 500 ms request timeout answers 504 first.
  assert.equal((await get('/timeout')).status, 504);

  // Cross-namespace: allowed by the ReferenceGrant, otherwise 500.
  assert.equal(await backendOf('/granted'), 'other');
  assert.equal((await get('/denied')).status, 500);

  // An unresolved backend keeps its half: exactly 50 of 100 draws answer 500.
  draw = 0;
  const statuses: Record<number, number> = {};
  for (let i = 0; i < 100; i++) {
    const s = (await get(`/half/${i}`)).status;
    statuses[s] = (statuses[s] ?? 0) + 1;
  }
  assert.deepEqual(statuses, { 200: 50, 500: 50 });

  // ExtensionRef: never skipped, 500.
  assert.equal((await get('/extension')).status, 500);
  assert.equal(served.envoy.lastNack(), undefined, 'the double accepted every resource');
  const conditions = Object.fromEntries(
    served.ir.routeConditions.map((r) => [r.route, r.conditions.map((c) => c.reason)]),
  );
  assert.deepEqual(conditions[`HTTPRoute ${NS}/traffic`], ['RefNotPermitted']);
});
