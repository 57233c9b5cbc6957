// Envoy's routing rules as the double implements them, one by one, on plain config objects: virtual host
// precedence, header and path matchers, rewrites, redirects, weighted picks, timeouts, header mutation
// order and filter chain selection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Listener, RouteConfiguration } from '../../src/xds/types';
import { applyHeaderLevels, type HeaderMap } from './header-ops';
import { regexRewrite } from './path-rewrite';
import { redirectLocation } from './redirect';
import { routeMatches } from './route-match';
import { headerMatches } from './string-match';
import { routeTimeoutMs } from './timeouts';
import { selectVirtualHost } from './virtual-host';
import { pickWeightedCluster } from './weighted-clusters';
import { selectFilterChain } from './filter-chain-match';
import { decideRoute } from './route-decision';

const headers = (entries: Record<string, string[]>): HeaderMap => new Map(Object.entries(entries));

test('virtual hosts: exact, then longest suffix wildcard, then longest prefix wildcard, then *', () => {
  const config: RouteConfiguration = {
    virtual_hosts: [
      { name: 'any', domains: ['*'] },
      { name: 'suffix', domains: ['*.foo.com'] },
      { name: 'longer-suffix', domains: ['*.bar.foo.com'] },
      { name: 'prefix', domains: ['foo.*'] },
      { name: 'exact', domains: ['www.foo.com'] },
    ],
  };
  const pick = (host: string, c = config) => selectVirtualHost(c, host)?.name;
  assert.equal(pick('WWW.foo.com'), 'exact');
  assert.equal(pick('a.foo.com'), 'suffix');
  assert.equal(pick('a.b.foo.com'), 'suffix', "Envoy's suffix wildcard spans labels");
  assert.equal(pick('x.bar.foo.com'), 'longer-suffix');
  assert.equal(pick('foo.com'), 'prefix', '*.foo.com never matches foo.com itself');
  assert.equal(pick('foo.org'), 'prefix');
  assert.equal(pick('other.org'), 'any');
  assert.equal(pick('www.foo.com:8080'), 'any', 'the port is part of the host unless told otherwise');
  assert.equal(pick('www.foo.com:8080', { ...config, ignore_port_in_host_matching: true }), 'exact');
});

test('header matchers: presence, inversion, missing headers and joined values', () => {
  const h = headers({ 'x-a': ['one', 'two'], 'x-e': [''] });
  assert.ok(
    headerMatches({ name: 'x-a', string_match: { exact: 'one,two' } }, h),
    'repeated values are joined with ","',
  );
  assert.ok(headerMatches({ name: 'x-a', string_match: { safe_regex: { regex: 'o.e,t.o' } } }, h));
  assert.ok(
    !headerMatches({ name: 'x-a', string_match: { safe_regex: { regex: 'one' } } }, h),
    'regexes match the whole value',
  );
  assert.ok(headerMatches({ name: 'x-a', string_match: { suffix: 'TWO', ignore_case: true } }, h));
  assert.ok(headerMatches({ name: 'x-missing', present_match: false }, h));
  assert.ok(headerMatches({ name: 'x-missing', present_match: true, invert_match: true }, h));
  assert.ok(
    !headerMatches({ name: 'x-missing', string_match: { exact: 'x' }, invert_match: true }, h),
    'a missing header never matches a value matcher',
  );
  assert.ok(
    headerMatches({ name: 'x-missing', string_match: { exact: '' }, treat_missing_header_as_empty: true }, h),
  );
  assert.ok(headerMatches({ name: 'x-a', string_match: { contains: 'three' }, invert_match: true }, h));
});

test('path matchers: element-wise prefixes, full-path regexes, case and gRPC', () => {
  const input = (path: string, extra: Record<string, string[]> = {}) => ({
    path,
    headers: headers(extra),
    random: () => 0,
  });
  const separated = { path_separated_prefix: '/foo' };
  assert.deepEqual(
    ['/foo', '/foo/', '/foo/bar', '/foo?x=1', '/foobar'].map((p) => routeMatches(separated, input(p))),
    [true, true, true, true, false],
  );
  assert.ok(
    routeMatches({ safe_regex: { regex: '/v[0-9]+/.*' } }, input('/v1/x?q=1')),
    'the query is not part of the path',
  );
  assert.ok(
    !routeMatches({ safe_regex: { regex: '/v[0-9]+' } }, input('/v1/x')),
    'regexes match the whole path',
  );
  assert.ok(routeMatches({ prefix: '/API', case_sensitive: { value: false } }, input('/api/x')));
  assert.ok(!routeMatches({ prefix: '/API' }, input('/api/x')));
  assert.ok(
    routeMatches({ prefix: '/', grpc: {} }, input('/svc/M', { 'content-type': ['application/grpc+proto'] })),
  );
  assert.ok(
    !routeMatches({ prefix: '/', grpc: {} }, input('/svc/M', { 'content-type': ['application/json'] })),
  );
  assert.ok(
    routeMatches(
      { prefix: '/', query_parameters: [{ name: 'v', string_match: { exact: '2' } }] },
      input('/?v=2&v=3'),
    ),
  );
});

test('rewrites and redirects', () => {
  assert.equal(
    regexRewrite('/a/b/a?x=a', { pattern: { regex: 'a' }, substitution: 'z' }),
    '/z/b/z?x=a',
    'every match, never the query',
  );
  assert.equal(
    regexRewrite('/v1/x', { pattern: { regex: '^/v(\\d)/(.*)$' }, substitution: '/api/\\2/v\\1\\\\' }),
    '/api/x/v1\\',
  );
  const from = { scheme: 'http', authority: 'foo.com:80', path: '/a?b=1' };
  assert.equal(
    redirectLocation({ https_redirect: true }, { prefix: '/' }, from),
    'https://foo.com/a?b=1',
    'the old default port goes',
  );
  assert.equal(
    redirectLocation({ https_redirect: true }, { prefix: '/' }, { ...from, authority: 'foo.com:8080' }),
    'https://foo.com:8080/a?b=1',
  );
  assert.equal(
    redirectLocation({ path_redirect: '/new', strip_query: true }, { prefix: '/' }, from),
    'http://foo.com:80/new',
  );
  assert.equal(redirectLocation({ prefix_rewrite: '/b' }, { prefix: '/a' }, from), 'http://foo.com:80/b?b=1');
  assert.equal(
    redirectLocation({ path_redirect: '/n?k=v', strip_query: true }, { prefix: '/' }, from),
    'http://foo.com:80/n?k=v',
    "path_redirect's own query survives strip_query",
  );
  assert.equal(redirectLocation({ host_redirect: 'bar.com' }, { prefix: '/' }, from), 'http://bar.com/a?b=1');
});

test('weighted picks, timeouts and header mutation order', () => {
  const weighted = {
    clusters: [
      { name: 'a', weight: { value: 70 } },
      { name: 'off', weight: { value: 0 } },
      { name: 'b', weight: { value: 30 } },
    ],
  };
  assert.deepEqual(
    [0, 0.699, 0.7, 0.999].map((r) => pickWeightedCluster(weighted, () => r)?.name),
    ['a', 'a', 'b', 'b'],
  );
  const none = headers({});
  assert.equal(routeTimeoutMs({}, none), 15_000, "Envoy's default route timeout");
  assert.equal(routeTimeoutMs({ timeout: { seconds: 0 } }, none), undefined, '0 disables it');
  const grpc = { timeout: { seconds: 0 }, max_stream_duration: { grpc_timeout_header_max: { seconds: 1 } } };
  assert.equal(routeTimeoutMs(grpc, headers({ 'grpc-timeout': ['200m'] })), 200);
  assert.equal(
    routeTimeoutMs(grpc, headers({ 'grpc-timeout': ['5S'] })),
    1000,
    'capped by grpc_timeout_header_max',
  );
  const levels = [
    { add: [{ header: { key: 'x', value: 'route' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' as const }] },
    {
      add: [{ header: { key: 'x', value: 'vhost' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' as const }],
      remove: ['y'],
    },
  ];
  const outerWins = headers({ y: ['1'] });
  applyHeaderLevels(outerWins, levels, false);
  assert.deepEqual(Object.fromEntries(outerWins), { x: ['vhost'] });
  const innerWins = headers({});
  applyHeaderLevels(innerWins, levels, true);
  assert.deepEqual(Object.fromEntries(innerWins), { x: ['route'] });
});

test('filter chains: destination port, then exact SNI, then the closest wildcard, then a chain without names', () => {
  const chain = (name: string, match: object) => ({ name, filter_chain_match: match });
  const listener: Listener = {
    filter_chains: [
      chain('wild', { server_names: ['*.foo.com'] }),
      chain('exact', { server_names: ['a.foo.com'] }),
      chain('plain', {}),
      chain('other-port', { destination_port: { value: 9 } }),
    ],
  };
  const pick = (serverName: string | undefined, destinationPort = 8443) =>
    selectFilterChain(listener, { destinationPort, serverName, transportProtocol: 'tls' })?.name;
  assert.deepEqual(
    [
      pick('a.foo.com'),
      pick('b.foo.com'),
      pick('x.b.foo.com'),
      pick('bar.com'),
      pick(undefined),
      pick('a.foo.com', 9),
    ],
    ['exact', 'wild', 'wild', 'plain', 'plain', 'other-port'],
  );
});

test('runtime fractions draw from the injected random: route matches and mirrors', () => {
  const half = { default_value: { numerator: 50, denominator: 'HUNDRED' as const } };
  const config: RouteConfiguration = {
    virtual_hosts: [
      {
        name: 'all',
        domains: ['*'],
        routes: [
          {
            name: 'sampled',
            match: { prefix: '/', runtime_fraction: half },
            route: { cluster: 'a', request_mirror_policies: [{ cluster: 'm', runtime_fraction: half }] },
          },
          { name: 'rest', match: { prefix: '/' }, route: { cluster: 'b' } },
        ],
      },
    ],
  };
  const decide = (draws: number[]) => {
    const decision = decideRoute(config, {
      scheme: 'http',
      authority: 'x',
      path: '/',
      headers: headers({}),
      random: () => draws.shift() ?? 0,
    });
    return decision.kind === 'forward' ? [decision.cluster, decision.mirrors] : decision.kind;
  };
  assert.deepEqual(decide([0.4, 0.4]), ['a', ['m']]);
  assert.deepEqual(decide([0.4, 0.6]), ['a', []]);
  assert.deepEqual(decide([0.6]), ['b', []]);
});
