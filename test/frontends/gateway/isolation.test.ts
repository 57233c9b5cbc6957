// Listener isolation and TLS chains in the Gateway IR, seen with the fake route rules (one route per route
// object, named by its source): which listener's virtual hosts each route lands in, the 404 of a listener
// without routes, and the 421 a TLS chain answers for a host another listener owns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IrVirtualHost } from '../../../src/ir/http';
import type { IrHttpListener } from '../../../src/ir/listeners';
import { runGoldenInput } from './fake-rules';

/** host -> route sources (or "421"/"404") of a set of virtual hosts. */
function hostsOf(vhosts: readonly IrVirtualHost[]): Record<string, string[]> {
  return Object.fromEntries(
    vhosts.map((v) => [
      v.host,
      v.routes.map((r) => (r.action.kind === 'direct' && r.action.status === 421 ? '421' : r.source)),
    ]),
  );
}

test('each hostname is served only by the most specific listener of the port', () => {
  const { gateways } = runGoldenInput('gateway-isolation-hostname-intersection');
  const listener = gateways[0]?.ir.listeners[0] as IrHttpListener;
  assert.deepEqual(hostsOf(listener.routes?.virtualHosts ?? []), {
    'abc.foo.example.com': ['HTTPRoute infra/to-abc'],
    'bar.com': ['HTTPRoute infra/to-empty'],
    '*.foo.example.com': ['HTTPRoute infra/to-wild-foo'],
    '*.example.com': ['HTTPRoute infra/to-wild'],
    // The listener without hostname has no route for other hosts: its own virtual host stays, empty (404).
    '*': [],
  });
});

test('a listener without routes keeps an empty virtual host for its hostname', () => {
  const { gateways } = runGoldenInput('gateway-empty-listener-404');
  const listener = gateways[0]?.ir.listeners[0] as IrHttpListener;
  assert.deepEqual(hostsOf(listener.routes?.virtualHosts ?? []), {
    'a.example.com': ['HTTPRoute infra/app'],
    'b.example.com': [],
  });
});

test('an HTTPS port has one chain per listener; hosts of the other listeners answer 421 there', () => {
  const { gateways } = runGoldenInput('gateway-https-sni-chains');
  const listener = gateways[0]?.ir.listeners[0] as IrHttpListener;
  assert.equal(listener.port, 10443);
  const chains = Object.fromEntries(
    (listener.tls ?? []).map((c) => [
      c.name,
      { hosts: c.hosts, vhosts: hostsOf(c.virtualHosts), secret: c.secret, routeName: c.routeName },
    ]),
  );
  assert.deepEqual(chains, {
    exact: {
      hosts: ['foo.example.com'],
      vhosts: { 'foo.example.com': ['HTTPRoute infra/app'], '*.example.com': ['421'], '*': ['421'] },
      secret: 'infra/web-tls',
      routeName: 'infra/web/443/exact',
    },
    wild: {
      hosts: ['*.example.com'],
      vhosts: { '*.example.com': ['HTTPRoute infra/wild'], 'foo.example.com': ['421'], '*': ['421'] },
      secret: 'infra/web-tls',
      routeName: 'infra/web/443/wild',
    },
    any: {
      hosts: [],
      vhosts: { '*': ['HTTPRoute infra/any'], 'foo.example.com': ['421'], '*.example.com': ['421'] },
      secret: 'infra/web-tls',
      routeName: 'infra/web/443/any',
    },
  });
});

test("a ListenerSet's listener is its own port in the Gateway's group, reached through the ListenerSet", () => {
  const { gateways } = runGoldenInput('listenerset-same-namespace');
  const byPort = Object.fromEntries(
    (gateways[0]?.ir.listeners as IrHttpListener[]).map((l) => [
      l.port,
      hostsOf(l.routes?.virtualHosts ?? []),
    ]),
  );
  assert.deepEqual(byPort, {
    10080: { '*': ['HTTPRoute infra/gw'] },
    8081: { 'extra.example.com': ['HTTPRoute infra/app'] },
  });
});
