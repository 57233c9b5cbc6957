// An Ingress edited while traffic flows, end to end through the Envoy double: kxds re-sends the edge's
// routes and clusters, the double applies them between requests, and not one request fails on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { backendService, INGRESS_CLASS, ingress } from '../helpers/edge-objects';

test(
  'an Ingress change reaches the Envoy double without a dropped request',
  { timeout: 60_000 },
  async (t) => {
    const a = await startEchoBackend('web-a', { host: '127.0.0.31' });
    const b = await startEchoBackend('web-b', { host: '127.0.0.32' });
    t.after(() => Promise.all([a.close(), b.close()]));
    const route = (service: string) => [
      ingress('shop', 'main', [{ host: 'shop.test', paths: [{ path: '/', service }] }]),
    ];
    const run = await startKxdsOnManifests(t, {
      'backends.yaml': [
        INGRESS_CLASS,
        ...backendService('shop', 'web-a', a.port, [a.host]),
        ...backendService('shop', 'web-b', b.port, [b.host]),
      ],
      'ingress.yaml': route('web-a'),
    });
    const envoy = await startEdgeDouble(t, run);
    const port = envoy.port(8080);

    const served: string[] = [];
    const failures: string[] = [];
    const send = async (): Promise<void> => {
      const reply = await request(port, 'shop.test', `/r${served.length}`);
      if (reply.status === 200) served.push((JSON.parse(reply.body) as EchoedRequest).backend);
      else failures.push(`${reply.status} ${reply.body}`);
    };
    for (let i = 0; i < 20; i++) await send();
    await run.write('ingress.yaml', route('web-b'));
    const until = Date.now() + 15_000;
    while (served.at(-1) !== 'web-b' && Date.now() < until) await send();
    for (let i = 0; i < 20; i++) await send();

    assert.deepEqual(failures, [], 'every request during the change succeeded');
    const switchAt = served.indexOf('web-b');
    assert.ok(switchAt >= 20, `web-a served until the change (${served.join(',')})`);
    assert.deepEqual([...new Set(served.slice(0, switchAt))], ['web-a']);
    assert.deepEqual(
      [...new Set(served.slice(switchAt))],
      ['web-b'],
      'once switched, every request goes to web-b',
    );
    assert.equal(envoy.lastNack(), undefined);
  },
);
