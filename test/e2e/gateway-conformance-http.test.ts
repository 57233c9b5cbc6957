// HTTPRoute conformance-style tests through the Envoy double, after the upstream suite
// (conformance/tests/httproute-*.go): matching (path, headers, query, method), request and response header
// modifiers, redirects (scheme, hostname, port, path; 301/302/303/307/308) and URL rewrites (path, host).
// Route rules are translated by the Gateway front-end's route half and served over real ADS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EchoedRequest } from '../envoy-double/echo-backend';
import { routeObject, serveRoutesToDouble } from '../helpers/gateway-double';
import {
  CONFORMANCE_LISTENER_PORT,
  CONFORMANCE_NS as NS,
  conformanceClient,
  conformanceInfra,
  prefix,
  ref,
} from '../helpers/gateway-conformance';

test(
  'HTTPRoute matching, header modifiers, redirects and rewrites through the Envoy double',
  { timeout: 90_000 },
  async (t) => {
    const { objects } = await conformanceInfra(t);
    objects.push(
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
          filters: [
            { type: 'RequestRedirect', requestRedirect: { hostname: 'example.org', statusCode: 301 } },
          ],
        },
        {
          matches: [prefix('/port')],
          filters: [{ type: 'RequestRedirect', requestRedirect: { port: 8083 } }],
        },
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
              requestRedirect: {
                path: { type: 'ReplaceFullPath', replaceFullPath: '/full-path-replacement' },
              },
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
    );
    const served = await serveRoutesToDouble(t, objects, CONFORMANCE_LISTENER_PORT);
    const { get, echoed, backendOf, location } = conformanceClient(served.port);

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
    const scheme = await location('/scheme');
    assert.deepEqual(
      [scheme.protocol, scheme.hostname, scheme.pathname],
      ['https:', 'example.com', '/scheme'],
    );
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

    // Status codes 303, 307, 308.
    for (const code of [303, 307, 308])
      assert.equal((await location(`/code-${code}`, code)).pathname, `/code-${code}`);

    assert.equal(served.envoy.lastNack(), undefined, 'the double accepted every resource');
  },
);
