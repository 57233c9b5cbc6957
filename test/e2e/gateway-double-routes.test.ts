// A Gateway with two listeners and HTTPRoutes through the Envoy double, with the real route rules and
// real echo backends on loopback: the whole front-end (translateGateways) -> the Envoy back-end -> an
// in-process xDS server -> the double. Each listener serves only its own routes; a route attached by
// sectionName reaches one listener, one attached to the whole Gateway reaches every listener it matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupResources } from '../../src/envoy/group';
import { translateGateways } from '../../src/frontends/gateway/index';
import { modelFrom } from '../../src/model/store';
import { TranslationMemos } from '../../src/translate/translation-memos';
import { startEnvoyDouble } from '../envoy-double';
import { startEchoBackend } from '../envoy-double/echo-backend';
import { startStaticXds } from '../envoy-double/static-xds';
import { request } from '../helpers/edge-double-fixture';
import { backend } from '../helpers/gateway-double';
import { OPTIONS } from '../frontends/gateway/fake-rules';
import { gateway, httpRoute, kxdsClass } from '../frontends/gateway/objects';

const rule = (service: string, path = '/') => ({
  matches: [{ path: { type: 'PathPrefix', value: path } }],
  backendRefs: [{ name: service, port: 80 }],
});

test(
  'a Gateway with two listeners routes each listener to its own HTTPRoutes',
  { timeout: 60_000 },
  async (t) => {
    const [shop, admin, both] = await Promise.all(['shop', 'admin', 'both'].map((n) => startEchoBackend(n)));
    t.after(() => Promise.all([shop, admin, both].map((b) => b?.close())));
    if (!shop || !admin || !both) throw new Error('backends did not start');
    const objects = [
      kxdsClass(),
      gateway([
        { name: 'public', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
        { name: 'internal', port: 8080, protocol: 'HTTP' },
      ]),
      ...backend('infra', 'shop', shop),
      ...backend('infra', 'admin', admin),
      ...backend('infra', 'both', both),
      httpRoute('shop', {
        parentRefs: [{ name: 'web', sectionName: 'public' }],
        hostnames: ['shop.example.com'],
        rules: [rule('shop')],
      }),
      httpRoute('admin', {
        parentRefs: [{ name: 'web', sectionName: 'internal' }],
        rules: [rule('admin', '/admin')],
      }),
      httpRoute('both', { parentRefs: [{ name: 'web' }], rules: [rule('both', '/health')] }),
    ];
    const { gateways, statuses } = translateGateways(modelFrom(objects), OPTIONS, []);
    const listeners = statuses.find((s) => s.kind === 'Gateway')?.status.listeners as {
      name: string;
      attachedRoutes: number;
    }[];
    assert.deepEqual(
      listeners.map((l) => [l.name, l.attachedRoutes]),
      [
        ['public', 2],
        ['internal', 2],
      ],
    );
    const resources = groupResources(
      (gateways[0] as (typeof gateways)[number]).ir,
      new TranslationMemos().groupMemos(),
    );
    const xds = await startStaticXds(t);
    xds.publish((set) => {
      for (const kind of ['listener', 'route', 'cluster', 'endpoint'] as const)
        for (const [name, value] of resources[kind]) set[kind].set(name, value as never);
    });
    const envoy = await startEnvoyDouble({ xdsAddress: xds.address });
    t.after(() => envoy.close());
    await envoy.ready();

    const ask = async (listenerPort: number, host: string, path: string) => {
      const reply = await request(envoy.port(listenerPort), host, path);
      return reply.status === 200
        ? (JSON.parse(reply.body) as { backend: string }).backend
        : String(reply.status);
    };
    // public (port 80, bound at 10080): shop.example.com only, plus the route attached to the whole Gateway.
    assert.equal(await ask(10080, 'shop.example.com', '/cart'), 'shop');
    assert.equal(await ask(10080, 'other.example.com', '/health'), 'both');
    assert.equal(await ask(10080, 'other.example.com', '/cart'), '404');
    assert.equal(await ask(10080, 'shop.example.com', '/admin'), 'shop', 'admin is not attached to public');
    assert.equal(await ask(10080, 'shop.example.org', '/health'), '404', 'outside the listener hostname');
    // internal (port 8080): any host, the admin route and the Gateway-wide one, never the shop route.
    assert.equal(await ask(8080, 'anything.test', '/admin/users'), 'admin');
    assert.equal(await ask(8080, 'shop.example.com', '/health'), 'both');
    assert.equal(await ask(8080, 'shop.example.com', '/cart'), '404');
    assert.deepEqual(
      shop.received.map((r) => r.path),
      ['/cart', '/admin'],
    );
  },
);
