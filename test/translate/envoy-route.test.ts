// The route builder on its own: element-wise prefixes, the rewrite split, wildcard hosts, weighted clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRouteConfiguration } from '../../src/envoy/http/route';
import type { IrRoute, IrVirtualHost } from '../../src/ir/http';

function route(path: IrRoute['match']['path'], extra: Partial<IrRoute> = {}): IrRoute {
  return {
    source: 'Ingress demo/web',
    match: { path, headers: [] },
    action: {
      kind: 'forward',
      clusters: [{ cluster: 'demo/web/80', weight: 100 }],
      http2: false,
      hashOn: [],
      autoHostRewrite: false,
    },
    policies: { websockets: false, grpcWeb: false },
    ...extra,
  };
}

function routesOf(vhost: IrVirtualHost) {
  const config = buildRouteConfiguration('test', [vhost]);
  return config.virtual_hosts?.[0]?.routes ?? [];
}

test('a Prefix path is a path_separated_prefix; "/" stays a plain prefix', () => {
  const routes = routesOf({
    host: 'foo.com',
    routes: [route({ kind: 'prefix', path: '/api' }), route({ kind: 'prefix', path: '/' })],
  });
  assert.deepEqual(
    routes.map((r) => r.match),
    [{ path_separated_prefix: '/api' }, { prefix: '/' }],
  );
});

test('a prefix rewrite on /api becomes exact /api and prefix /api/, so no "//" appears', () => {
  const routes = routesOf({
    host: 'foo.com',
    routes: [
      route(
        { kind: 'prefix', path: '/api' },
        { policies: { websockets: false, grpcWeb: false, rewrite: { kind: 'prefix', value: '/v2' } } },
      ),
    ],
  });
  assert.deepEqual(
    routes.map((r) => [r.match, r.route?.prefix_rewrite]),
    [
      [{ path: '/api' }, '/v2'],
      [{ prefix: '/api/' }, '/v2/'],
    ],
  );
});

test('an Ingress wildcard host (one label) adds an :authority regex; a Gateway one (any depth) does not', () => {
  const [any] = routesOf({ host: '*.foo.com', routes: [route({ kind: 'prefix', path: '/' })] });
  assert.equal(any?.match?.headers, undefined);
  const [only] = routesOf({
    host: '*.foo.com',
    singleLabelWildcard: true,
    routes: [route({ kind: 'prefix', path: '/' })],
  });
  assert.deepEqual(only?.match?.headers, [
    { name: ':authority', string_match: { safe_regex: { regex: '(?i)^[^.]+\\.foo\\.com(:[0-9]+)?$' } } },
  ]);
});

test('a canary split becomes weighted clusters; a 503 route is a direct response', () => {
  const split = route(
    { kind: 'exact', path: '/x' },
    {
      action: {
        kind: 'forward',
        clusters: [
          { cluster: 'demo/web/80', weight: 80 },
          { cluster: 'demo/web-v2/80', weight: 20 },
        ],
        http2: false,
        hashOn: [],
        autoHostRewrite: false,
      },
    },
  );
  const broken = route({ kind: 'exact', path: '/y' }, { action: { kind: 'direct', status: 503 } });
  const [first, second] = routesOf({ host: 'foo.com', routes: [split, broken] });
  assert.deepEqual(first?.route?.weighted_clusters, {
    clusters: [
      { name: 'demo/web/80', weight: { value: 80 } },
      { name: 'demo/web-v2/80', weight: { value: 20 } },
    ],
  });
  assert.deepEqual(second?.direct_response, { status: 503 });
  assert.equal(second?.route, undefined);
});
