// The route builder's Gateway API features: header/query matches, header modifiers at route and backend
// level, redirects, full-path and host rewrites, mirrors, the missing-cluster status and direct bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRouteConfiguration } from '../../src/envoy/http/route';
import type { IrRoute } from '../../src/ir/http';
import { checkEnvoyResource } from '../../src/xds/check-resource';

function forward(extra: Partial<IrRoute> = {}, policies: Partial<IrRoute['policies']> = {}): IrRoute {
  return {
    source: 'HTTPRoute demo/web',
    match: { path: { kind: 'prefix', path: '/' }, headers: [] },
    action: {
      kind: 'forward',
      clusters: [{ cluster: 'demo/web/80', weight: 1 }],
      http2: false,
      hashOn: [],
      autoHostRewrite: false,
    },
    policies: { websockets: false, grpcWeb: false, ...policies },
    ...extra,
  };
}

function built(...routes: IrRoute[]) {
  const config = buildRouteConfiguration('gw', [{ host: 'foo.com', routes }]);
  assert.deepEqual(checkEnvoyResource('envoy.config.route.v3.RouteConfiguration', config), []);
  return config.virtual_hosts?.[0]?.routes ?? [];
}

test('header regex, presence and query parameter matches', () => {
  const [r] = built(
    forward({
      match: {
        path: { kind: 'exact', path: '/q' },
        headers: [{ name: 'x-v', regex: 'v[0-9]+' }, { name: 'x-p' }],
        queryParams: [{ name: 'a', exact: '1' }, { name: 'b', regex: '^x.*' }],
      },
    }),
  );
  assert.deepEqual(r?.match, {
    path: '/q',
    headers: [
      { name: 'x-v', string_match: { safe_regex: { regex: 'v[0-9]+' } } },
      { name: 'x-p', present_match: true },
    ],
    query_parameters: [
      { name: 'a', string_match: { exact: '1' } },
      { name: 'b', string_match: { safe_regex: { regex: '^x.*' } } },
    ],
  });
});

test('set replaces, add appends, remove removes; per-backend changes make a weighted cluster', () => {
  const [r] = built(
    forward(
      {
        action: {
          kind: 'forward',
          clusters: [{ cluster: 'demo/a/80', weight: 1, requestHeaders: { set: [{ name: 'x-b', value: 'a' }] } }],
          http2: false,
          hashOn: [],
          autoHostRewrite: false,
          missingClusterStatus: 500,
        },
      },
      {
        requestHeaders: { set: [{ name: 'x-s', value: '1' }], add: [{ name: 'x-a', value: '2' }], remove: ['x-r'] },
        responseHeaders: { remove: ['server'] },
      },
    ),
  );
  assert.deepEqual(r?.request_headers_to_add, [
    { header: { key: 'x-s', value: '1' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
    { header: { key: 'x-a', value: '2' }, append_action: 'APPEND_IF_EXISTS_OR_ADD' },
  ]);
  assert.deepEqual(r?.request_headers_to_remove, ['x-r']);
  assert.deepEqual(r?.response_headers_to_remove, ['server']);
  assert.equal(r?.route?.cluster, undefined);
  assert.deepEqual(r?.route?.weighted_clusters?.clusters?.[0]?.request_headers_to_add, [
    { header: { key: 'x-b', value: 'a' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
  ]);
  assert.equal(r?.route?.cluster_not_found_response_code, 'INTERNAL_SERVER_ERROR');
});

test('redirects: scheme, host, port, code, full path; a prefix replacement is split element-wise', () => {
  const [full] = built(
    forward({
      action: {
        kind: 'redirect',
        redirect: { scheme: 'https', host: 'bar.com', port: 8443, path: { kind: 'full', value: '/x' }, statusCode: 301 },
      },
    }),
  );
  assert.deepEqual(full?.redirect, {
    response_code: 'MOVED_PERMANENTLY',
    scheme_redirect: 'https',
    host_redirect: 'bar.com',
    port_redirect: 8443,
    path_redirect: '/x',
  });
  const split = built(
    forward({
      match: { path: { kind: 'prefix', path: '/old' }, headers: [] },
      action: { kind: 'redirect', redirect: { path: { kind: 'prefix', value: '/new' }, statusCode: 302 } },
    }),
  );
  assert.deepEqual(
    split.map((r) => [r.match, r.redirect?.prefix_rewrite, r.redirect?.response_code]),
    [
      [{ path: '/old' }, '/new', 'FOUND'],
      [{ prefix: '/old/' }, '/new/', 'FOUND'],
    ],
  );
});

test('full path and host rewrites, mirrors with fractions, direct responses with a body', () => {
  const [r, d] = built(
    forward(
      {},
      {
        rewrite: { kind: 'full', value: '/one' },
        hostRewrite: 'example.org',
        mirrors: [{ cluster: 'demo/m/80' }, { cluster: 'demo/n/80', fraction: { numerator: 1, denominator: 3 } }],
      },
    ),
    forward({ action: { kind: 'direct', status: 500, body: 'no backend' } }),
  );
  assert.deepEqual(r?.route?.regex_rewrite, { pattern: { regex: '^/.*$' }, substitution: '/one' });
  assert.equal(r?.route?.host_rewrite_literal, 'example.org');
  assert.deepEqual(r?.route?.request_mirror_policies, [
    { cluster: 'demo/m/80' },
    { cluster: 'demo/n/80', runtime_fraction: { default_value: { numerator: 333333, denominator: 'MILLION' } } },
  ]);
  assert.deepEqual(d?.direct_response, { status: 500, body: { inline_string: 'no backend' } });
});
