// The api-listener route builder for proxyless gRPC clients: header matches in string_match, or in the
// deprecated exact_match / safe_regex_match for dialects that read nothing newer (gRPC C-core 1.51), each
// valid by Envoy's proto rules (the deprecated ones knowingly); an element-wise prefix as two routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRoutes } from '../../src/envoy/api-route';
import type { IrApiRoute } from '../../src/ir/listeners';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { MESSAGE_NAME } from '../../src/xds/types';

const ROUTE: IrApiRoute = {
  prefix: '/',
  match: {
    path: { kind: 'prefix', path: '/kxds.demo.Greeter' },
    headers: [{ name: 'x-version', exact: 'v2' }, { name: 'x-tenant', regex: 'a|b' }, { name: 'x-debug' }],
  },
  backends: [{ cluster: 'demo/v2/50051', weight: 1 }],
  hashOn: [],
};

function asRouteConfiguration(legacy: boolean) {
  return { name: 'r', virtual_hosts: [{ name: 'r', domains: ['*'], routes: apiRoutes(ROUTE, legacy) }] };
}

test('string_match by default; exact_match / safe_regex_match for legacy dialects', () => {
  const [modern] = apiRoutes(ROUTE);
  assert.deepEqual(modern?.match?.headers, [
    { name: 'x-version', string_match: { exact: 'v2' } },
    { name: 'x-tenant', string_match: { safe_regex: { regex: 'a|b' } } },
    { name: 'x-debug', present_match: true },
  ]);
  const [legacy] = apiRoutes(ROUTE, true);
  assert.deepEqual(legacy?.match?.headers, [
    { name: 'x-version', exact_match: 'v2' },
    { name: 'x-tenant', safe_regex_match: { regex: 'a|b' } },
    { name: 'x-debug', present_match: true },
  ]);
});

test('both forms pass the proto rules (the legacy one only as deprecated fields)', () => {
  assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.route, asRouteConfiguration(false)), []);
  assert.deepEqual(
    checkEnvoyResource(MESSAGE_NAME.route, asRouteConfiguration(true), { allowDeprecated: true }),
    [],
  );
});

test('an element-wise prefix is an exact route and a "P/" prefix route (gRPC clients lack path_separated_prefix)', () => {
  assert.deepEqual(
    apiRoutes(ROUTE).map((r) => ({ path: r.match?.path, prefix: r.match?.prefix })),
    [
      { path: '/kxds.demo.Greeter', prefix: undefined },
      { path: undefined, prefix: '/kxds.demo.Greeter/' },
    ],
  );
});
