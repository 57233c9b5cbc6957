// The forward-auth plug-in (ext_authz with an HTTP service): one disabled filter per distinct auth service
// the listener's routes use, switched on by the routes that use it, failing closed; every resource passes
// the proto rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHttpListener } from '../../src/envoy/http/listener';
import { buildRouteConfiguration } from '../../src/envoy/http/route';
import { extAuthzConfig, extAuthzFilterName } from '../../src/envoy/http-filters/ext-authz';
import type { IrRoute } from '../../src/ir/http';
import type { IrForwardAuth } from '../../src/ir/http-filters';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { MESSAGE_NAME } from '../../src/xds/types';
import type { HttpConnectionManager } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import { decodeAny } from '../../src/xds/encode';

const AUTH: IrForwardAuth = {
  cluster: 'auth/oauth/80',
  uri: 'http://oauth.auth.svc:80/check',
  pathPrefix: '/check',
  responseHeaders: ['x-user'],
  timeoutMs: 5000,
};

function route(path: string, forwardAuth?: IrForwardAuth): IrRoute {
  return {
    source: `Ingress shop/${path.slice(1) || 'root'}`,
    match: { path: { kind: 'prefix', path }, headers: [] },
    action: { kind: 'forward', clusters: [{ cluster: 'shop/web/80', weight: 100 }], http2: false, hashOn: [], autoHostRewrite: false },
    policies: { websockets: false, grpcWeb: false, ...(forwardAuth ? { forwardAuth } : {}) },
  };
}

function chainOf(routes: IrRoute[]) {
  const listener = buildHttpListener({
    kind: 'http',
    name: 'edge-http',
    address: '127.0.0.1',
    port: 8080,
    routes: { name: 'edge-http', virtualHosts: [{ host: 'shop.test', routes }] },
  });
  assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.listener, listener), []);
  const any = listener.filter_chains?.[0]?.filters?.[0]?.typed_config as { type_url: string; value: Uint8Array };
  const hcm = decodeAny(any.type_url, any.value) as HttpConnectionManager;
  return hcm.http_filters ?? [];
}

test('one disabled ext_authz per distinct auth service, none without forward auth', () => {
  const plain = chainOf([route('/')]).map((f) => String(f.name));
  assert.ok(!plain.some((n) => n.startsWith('envoy.filters.http.ext_authz')));
  assert.ok(!plain.includes('envoy.filters.http.header_mutation'), 'no header removal without auth headers');
  const other = { ...AUTH, responseHeaders: [] };
  const filters = chainOf([route('/a', AUTH), route('/b', AUTH), route('/c', other), route('/d')]);
  const authz = filters.filter((f) => String(f.name).startsWith('envoy.filters.http.ext_authz/'));
  assert.deepEqual(authz.map((f) => f.name).sort(), [extAuthzFilterName(AUTH), extAuthzFilterName(other)].sort());
  assert.ok(authz.every((f) => f.disabled === true), 'disabled unless a route switches it on');
  assert.equal(filters.at(-1)?.name, 'envoy.filters.http.router');
  const names = filters.map((f) => f.name);
  assert.ok(names.indexOf('envoy.filters.http.basic_auth') < names.indexOf(authz[0]?.name), 'after basic auth');
});

test('a route with forward auth switches its own filter on; the others carry nothing', () => {
  const config = buildRouteConfiguration('edge-http', [{ host: 'shop.test', routes: [route('/a', AUTH), route('/b')] }]);
  assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.route, config), []);
  const [a, b] = config.virtual_hosts?.[0]?.routes ?? [];
  // header_mutation removes the client's own x-user before the check (the auth service's 200 sets it).
  assert.deepEqual(Object.keys(a?.typed_per_filter_config ?? {}), [
    'envoy.filters.http.header_mutation',
    extAuthzFilterName(AUTH),
  ]);
  assert.equal(b?.typed_per_filter_config, undefined);
});

test('the service fails closed and gets the X-Original-* headers; a literal % is escaped', () => {
  const config = extAuthzConfig({ ...AUTH, requestRedirect: 'https://login.test/?next=100%' });
  assert.equal(config.failure_mode_allow, false);
  assert.deepEqual(config.status_on_error, { code: 'InternalServerError' });
  assert.equal(config.http_service?.server_uri?.cluster, 'auth/oauth/80');
  assert.equal(config.http_service?.path_prefix, '/check');
  const added = Object.fromEntries(
    (config.http_service?.authorization_request?.headers_to_add ?? []).map((h) => [h.key, h.value]),
  );
  assert.equal(added['x-original-url'], '%REQ(:SCHEME)%://%REQ(:AUTHORITY)%%REQ(:PATH)%');
  assert.equal(added['x-original-method'], '%REQ(:METHOD)%');
  assert.equal(added['x-auth-request-redirect'], 'https://login.test/?next=100%%');
  assert.deepEqual(config.http_service?.authorization_response?.allowed_upstream_headers?.patterns, [{ exact: 'x-user' }]);
  assert.deepEqual(
    checkEnvoyResource('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz', config),
    [],
  );
});
