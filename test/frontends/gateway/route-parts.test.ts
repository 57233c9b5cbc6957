// Unit tests of the route-rule parts: durations, HTTP and gRPC matches, redirects (the spec's port rules),
// timeouts, CORS settings and ReferenceGrants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGatewayDuration } from '../../../src/frontends/gateway/routes/duration';
import { httpRouteMatch, pathMatch } from '../../../src/frontends/gateway/routes/http-matches';
import { grpcRouteMatch } from '../../../src/frontends/gateway/routes/grpc-matches';
import { redirect, redirectPort } from '../../../src/frontends/gateway/routes/redirect';
import { ruleTimeoutMs } from '../../../src/frontends/gateway/routes/timeouts';
import { corsSettings } from '../../../src/frontends/gateway/routes/cors';
import { isReferenceAllowed } from '../../../src/frontends/gateway/reference-grants';
import { corsOriginRegex } from '../../../src/ir/http-filters';
import { modelFrom } from '../../../src/model/store';
import type { WatchedObject } from '../../../src/model/k8s';
import { LISTENER } from './route-helpers';

test('Gateway durations: units, compound values, and what is not one', () => {
  assert.equal(parseGatewayDuration('500ms'), 500);
  assert.equal(parseGatewayDuration('1h30m'), 5_400_000);
  assert.equal(parseGatewayDuration('1m5s10ms'), 65_010);
  assert.equal(parseGatewayDuration('0s'), 0);
  for (const bad of ['', '10', '1d', '1.5s', 's', '1h1h1h1h1h'])
    assert.equal(parseGatewayDuration(bad), undefined, bad);
});

test('path matches: PathPrefix ignores a trailing slash, "/" stays, RE2 refusals are reasons', () => {
  assert.deepEqual(pathMatch('PathPrefix', '/api/'), { kind: 'prefix', path: '/api' });
  assert.deepEqual(pathMatch('PathPrefix', '/'), { kind: 'prefix', path: '/' });
  assert.deepEqual(pathMatch('Exact', '/a/'), { kind: 'exact', path: '/a/' });
  assert.match(String(pathMatch('RegularExpression', '/(?=x)')), /not valid RE2/);
});

test('HTTP match: defaults to PathPrefix "/", method as :method, first of equal header names wins', () => {
  const none = httpRouteMatch({});
  assert.ok(none.ok);
  assert.deepEqual(none.match, { path: { kind: 'prefix', path: '/' }, headers: [] });
  const r = httpRouteMatch({
    method: 'PUT',
    headers: [
      { name: 'X-A', value: '1' },
      { name: 'x-a', value: '2' },
    ],
    queryParams: [{ name: 'Q', value: 'v', type: 'RegularExpression' }],
  });
  assert.ok(r.ok);
  assert.deepEqual(r.match.headers, [
    { name: ':method', exact: 'PUT' },
    { name: 'x-a', exact: '1' },
  ]);
  assert.deepEqual(r.match.queryParams, [{ name: 'Q', regex: 'v' }]);
});

test('gRPC method matches become path matches with the service and method lengths', () => {
  const both = grpcRouteMatch({ method: { service: 'a.B', method: 'C' } });
  assert.ok(both.ok);
  assert.deepEqual(both.match.path, { kind: 'exact', path: '/a.B/C' });
  assert.deepEqual([both.serviceChars, both.methodChars], [3, 1]);
  const service = grpcRouteMatch({ method: { service: 'a.B' } });
  assert.ok(service.ok);
  assert.deepEqual(service.match.path, { kind: 'prefix', path: '/a.B' });
  const method = grpcRouteMatch({ method: { method: 'C' } });
  assert.ok(method.ok);
  assert.deepEqual(method.match.path, { kind: 'regex', regex: '/[^/]+/C' });
  const regex = grpcRouteMatch({ method: { type: 'RegularExpression', service: 'a\\..*' } });
  assert.ok(regex.ok);
  assert.deepEqual(regex.match.path, { kind: 'regex', regex: '/(?:a\\..*)/(?:[^/]+)' });
  const alternation = grpcRouteMatch({ method: { type: 'RegularExpression', service: 's', method: 'A|B' } });
  assert.ok(alternation.ok);
  assert.deepEqual(
    alternation.match.path,
    { kind: 'regex', regex: '/(?:s)/(?:A|B)' },
    'an alternation stays in its part',
  );
  assert.equal(grpcRouteMatch({ method: { type: 'RegularExpression', method: '(?<!x)' } }).ok, false);
  const all = grpcRouteMatch({});
  assert.ok(all.ok);
  assert.deepEqual(all.match.path, { kind: 'prefix', path: '/' });
});

test('redirect ports: explicit, then the scheme well-known port, then the listener port (not the bind port)', () => {
  assert.equal(redirectPort({ port: 8443, scheme: 'https' }, LISTENER), 8443);
  assert.equal(redirectPort({ scheme: 'https' }, LISTENER), 443);
  assert.equal(redirectPort({ scheme: 'http' }, { ...LISTENER, port: 8080 }), 80);
  assert.equal(redirectPort({ hostname: 'x' }, { ...LISTENER, port: 8080 }), 8080);
  assert.deepEqual(redirect({ path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '' } }, LISTENER), {
    port: 80,
    path: { kind: 'prefix', value: '/' },
    statusCode: 302,
  });
});

test('timeouts: the shorter set one, 0s disables, unset has no opinion, garbage is a reason', () => {
  assert.equal(ruleTimeoutMs({}), undefined);
  assert.equal(ruleTimeoutMs({ timeouts: { request: '10s', backendRequest: '2s' } }), 2000);
  assert.equal(ruleTimeoutMs({ timeouts: { request: '0s', backendRequest: '3s' } }), 3000);
  assert.equal(ruleTimeoutMs({ timeouts: { request: '0s' } }), 0);
  assert.match(String(ruleTimeoutMs({ timeouts: { request: 'soon' } })), /not a duration/);
});

test('CORS: Gateway wildcards cover any number of labels; ingress-nginx ones still one', () => {
  const cors = corsSettings({ allowOrigins: ['https://*.example.com'], allowMethods: ['GET', 'PUT'] });
  assert.ok(typeof cors !== 'string');
  assert.equal(cors.maxAgeSeconds, 5);
  assert.equal(cors.allowMethods, 'GET,PUT');
  assert.equal(corsOriginRegex('https://*.example.com', cors.originWildcard), 'https://.*\\.example\\.com');
  assert.equal(corsOriginRegex('https://*.example.com'), 'https://[^.]+\\.example\\.com');
});

test('ReferenceGrant: the grant must be in the target namespace, name the source kind and namespace, and the target', () => {
  const grant = (to: Record<string, unknown>, namespace = 'other'): WatchedObject =>
    ({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: `g-${namespace}-${String(to.name ?? 'any')}`, namespace },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' }],
        to: [to],
      },
    }) as WatchedObject;
  const from = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' };
  const to = { group: '', kind: 'Service', namespace: 'other', name: 'web' };
  assert.equal(isReferenceAllowed(modelFrom([]), from, { ...to, namespace: 'apps' }), true, 'same namespace');
  assert.equal(isReferenceAllowed(modelFrom([]), from, to), false);
  assert.equal(isReferenceAllowed(modelFrom([grant({ group: '', kind: 'Service' })]), from, to), true);
  assert.equal(
    isReferenceAllowed(modelFrom([grant({ group: '', kind: 'Service', name: 'web' })]), from, to),
    true,
  );
  assert.equal(
    isReferenceAllowed(modelFrom([grant({ group: '', kind: 'Service', name: 'db' })]), from, to),
    false,
  );
  assert.equal(
    isReferenceAllowed(modelFrom([grant({ group: '', kind: 'Service' }, 'third')]), from, to),
    false,
  );
  assert.equal(
    isReferenceAllowed(
      modelFrom([grant({ group: '', kind: 'Service' })]),
      { ...from, kind: 'GRPCRoute' },
      to,
    ),
    false,
  );
});
