// The Envoy double's router on config kxds's Ingress translation does not emit, served over real ADS by an
// in-process xDS server: header mutations at every level with append actions, direct responses, redirects,
// regex and host rewrites, header and query matches, case-insensitive prefixes, mirrors, timeouts (504),
// HTTP/2 upstreams, no healthy upstream (503) and a missing cluster (cluster_not_found_response_code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoBackend, type EchoedRequest } from './echo-backend';
import { assignment, edgeSet, edsCluster, LISTENER_PORT } from './edge-resources';
import { startEnvoyDouble } from './index';
import { startStaticXds } from './static-xds';
import { request } from '../helpers/edge-double-fixture';
import { eventually } from '../helpers/eventually';
import type { Route } from '../../src/generated/envoy/config/route/v3/Route';

const to = (cluster: string, prefix: string, extra: Partial<Route> = {}): Route => ({
  name: prefix,
  match: { prefix },
  route: { cluster },
  ...extra,
});
const header = (
  key: string,
  value: string,
  append_action?:
    'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS',
) => ({
  header: { key, value },
  ...(append_action ? { append_action } : {}),
});

test(
  'the Envoy double routes, rewrites, mirrors and times out as Envoy does',
  { timeout: 60_000 },
  async (t) => {
    const names = ['a', 'b', 'mirror', 'h2'] as const;
    const backends = Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await startEchoBackend(n)])),
    ) as Record<(typeof names)[number], EchoBackend>;
    const slow = await startEchoBackend('slow', { delayMs: 3000 });
    t.after(() => Promise.all([...Object.values(backends), slow].map((b) => b.close())));
    const xds = await startStaticXds(t);
    const cluster = (name: string, backend: EchoBackend, http2 = false) =>
      [edsCluster(name, http2), assignment(name, [backend])] as const;
    xds.publish((set) =>
      edgeSet(
        set,
        {
          response_headers_to_add: [header('x-resp', 'config')],
          virtual_hosts: [
            {
              name: 'h',
              domains: ['h.test'],
              request_headers_to_add: [header('x-route', 'vhost', 'OVERWRITE_IF_EXISTS_OR_ADD')],
              routes: [
                to('a', '/headers', {
                  request_headers_to_add: [
                    header('x-route', 'route', 'OVERWRITE_IF_EXISTS_OR_ADD'),
                    header('x-keep', 'route', 'ADD_IF_ABSENT'),
                    header('x-only-if', 'route', 'OVERWRITE_IF_EXISTS'),
                  ],
                  request_headers_to_remove: ['x-drop'],
                  response_headers_to_add: [header('x-resp', 'route')],
                }),
                {
                  name: 'w',
                  match: { prefix: '/w' },
                  route: {
                    weighted_clusters: {
                      clusters: [
                        { name: 'b', weight: { value: 1 }, request_headers_to_add: [header('x-wc', 'b')] },
                      ],
                    },
                  },
                },
                {
                  name: 'direct',
                  match: { path: '/direct' },
                  direct_response: { status: 418, body: { inline_string: 'teapot' } },
                },
                {
                  name: 'redirect',
                  match: { prefix: '/old' },
                  redirect: {
                    host_redirect: 'new.test',
                    port_redirect: 8443,
                    prefix_rewrite: '/new',
                    response_code: 'FOUND',
                    strip_query: true,
                  },
                },
                {
                  name: 'regex',
                  match: { safe_regex: { regex: '/re/([0-9]+)/(.*)' } },
                  route: {
                    cluster: 'a',
                    regex_rewrite: {
                      pattern: { regex: '^/re/([0-9]+)/(.*)$' },
                      substitution: '/out/\\2/\\1',
                    },
                    host_rewrite_literal: 'rewritten.test',
                  },
                },
                {
                  name: 'matched',
                  match: {
                    prefix: '/m',
                    headers: [{ name: 'x-version', string_match: { prefix: 'v2' } }],
                    query_parameters: [{ name: 'debug', present_match: true }],
                  },
                  route: { cluster: 'b' },
                },
                to('a', '/m'),
                {
                  name: 'case',
                  match: { prefix: '/CaSe', case_sensitive: { value: false } },
                  route: { cluster: 'b' },
                },
                to('a', '/shadow', {
                  route: { cluster: 'a', request_mirror_policies: [{ cluster: 'mirror' }] },
                }),
                to('slow', '/slow', { route: { cluster: 'slow', timeout: { nanos: 300_000_000 } } }),
                to('slow', '/patient', { route: { cluster: 'slow', timeout: { seconds: 0 } } }),
                to('h2', '/h2'),
                to('down', '/down'),
                {
                  name: 'missing',
                  match: { prefix: '/nowhere' },
                  route: { cluster: 'nowhere', cluster_not_found_response_code: 'NOT_FOUND' },
                },
              ],
            },
          ],
        },
        [
          cluster('a', backends.a),
          cluster('b', backends.b),
          cluster('mirror', backends.mirror),
          cluster('slow', slow),
          cluster('h2', backends.h2, true),
          [edsCluster('down'), assignment('down', [backends.a], 'UNHEALTHY')],
        ],
      ),
    );
    const envoy = await startEnvoyDouble({ xdsAddress: xds.address });
    t.after(() => envoy.close());
    await envoy.ready();
    const port = envoy.port(LISTENER_PORT);
    const get = (path: string, headers = {}) => request(port, 'h.test', path, headers);
    const echo = async (path: string, headers = {}): Promise<EchoedRequest> => {
      const reply = await get(path, headers);
      assert.equal(reply.status, 200, `${path}: ${reply.status} ${reply.body}`);
      return JSON.parse(reply.body) as EchoedRequest;
    };

    // Most specific level first, so the virtual host's overwrite wins; ADD_IF_ABSENT keeps the client's value;
    // OVERWRITE_IF_EXISTS adds nothing when absent; response headers append route then config.
    const mutated = await get('/headers', { 'x-keep': 'client', 'x-drop': 'gone' });
    const seen = JSON.parse(mutated.body) as EchoedRequest;
    assert.deepEqual(
      [seen.headers['x-route'], seen.headers['x-keep'], seen.headers['x-drop'], seen.headers['x-only-if']],
      ['vhost', 'client', undefined, undefined],
    );
    assert.equal(mutated.headers['x-resp'], 'route, config');
    assert.equal((await echo('/w')).headers['x-wc'], 'b', 'weighted-cluster level headers');

    const direct = await get('/direct');
    assert.deepEqual([direct.status, direct.body, direct.headers['x-resp']], [418, 'teapot', 'config']);
    const redirect = await get('/old/page?q=1');
    assert.deepEqual([redirect.status, redirect.headers.location], [302, 'http://new.test:8443/new/page']);

    const regex = await echo('/re/42/rest?x=1');
    assert.deepEqual(
      [regex.path, regex.host, regex.headers['x-envoy-original-path']],
      ['/out/rest/42?x=1', 'rewritten.test', '/re/42/rest?x=1'],
    );

    assert.equal((await echo('/m', { 'x-version': 'v2.1' })).backend, 'a', 'the query parameter is missing');
    assert.equal((await echo('/m?debug', { 'x-version': 'v2.1' })).backend, 'b');
    assert.equal((await echo('/m?debug', { 'x-version': 'v1' })).backend, 'a');
    assert.equal((await echo('/case/x')).backend, 'b', 'case_sensitive: false');

    assert.equal((await echo('/shadow/1')).backend, 'a');
    const mirrored = await eventually('the mirror copy', () => backends.mirror.received.at(-1));
    assert.deepEqual([mirrored.path, mirrored.host], ['/shadow/1', 'h.test-shadow']);

    const slowReply = await get('/slow');
    assert.deepEqual([slowReply.status, slowReply.body], [504, 'upstream request timeout']);
    // No route timeout: an answer slower than the cluster's 2 s connect_timeout still arrives.
    assert.equal((await get('/patient')).status, 200);
    assert.equal(
      (await echo('/h2')).protocol,
      'HTTP/2.0',
      'an http2_protocol_options cluster is reached over h2c',
    );
    assert.deepEqual([(await get('/down')).status, (await get('/down')).body], [503, 'no healthy upstream']);
    assert.equal((await get('/nowhere')).status, 404);
    assert.equal((await request(port, 'other.test', '/')).status, 404, 'no virtual host');
    assert.equal(envoy.lastNack(), undefined);
  },
);
