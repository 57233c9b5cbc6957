// Ingress routing end to end through the Envoy test double: `kxds serve --manifests` with Ingresses and
// real echo backends; the double takes the edge config over ADS (checked by the validator) and serves it.
// Host and path routing, wildcard hosts (one label only), unknown hosts and paths, a missing backend (503),
// canary weights (exact, with the double's injectable random), rewrite-target and force-ssl-redirect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { backendService, INGRESS_CLASS, ingress } from '../helpers/edge-objects';

const HTTP = 8080;

test(
  'Ingress host, path, wildcard, canary and rewrite routing through the Envoy double',
  { timeout: 60_000 },
  async (t) => {
    const a = await startEchoBackend('web-a', { host: '127.0.0.11' });
    const b = await startEchoBackend('web-b', { host: '127.0.0.12' });
    const canary = await startEchoBackend('web-canary', { host: '127.0.0.13' });
    t.after(() => Promise.all([a.close(), b.close(), canary.close()]));
    const run = await startKxdsOnManifests(t, {
      'backends.yaml': [
        INGRESS_CLASS,
        ...backendService('shop', 'web-a', a.port, [a.host]),
        ...backendService('shop', 'web-b', b.port, [b.host]),
        ...backendService('shop', 'web-canary', canary.port, [canary.host]),
      ],
      'ingresses.yaml': [
        ingress('shop', 'main', [
          {
            host: 'shop.test',
            paths: [
              { path: '/', service: 'web-a' },
              { path: '/b', service: 'web-b' },
              { path: '/exact', service: 'web-b', pathType: 'Exact' },
            ],
          },
          { host: '*.wild.test', paths: [{ path: '/', service: 'web-b' }] },
          { host: 'gone.test', paths: [{ path: '/', service: 'nothing-here' }] },
          { host: 'split.test', paths: [{ path: '/', service: 'web-a' }] },
        ]),
        ingress(
          'shop',
          'split-canary',
          [{ host: 'split.test', paths: [{ path: '/', service: 'web-canary' }] }],
          {
            'kxds.io/canary': 'true',
            'kxds.io/canary-weight': '30',
          },
        ),
        ingress('shop', 'rewrite', [{ host: 'rw.test', paths: [{ path: '/app', service: 'web-a' }] }], {
          'kxds.io/rewrite-target': '/',
        }),
        ingress('shop', 'forced', [{ host: 'force.test', paths: [{ path: '/', service: 'web-a' }] }], {
          'kxds.io/force-ssl-redirect': 'true',
        }),
      ],
    });
    // Draws 0.005, 0.015, ... 0.995 in turn: 100 requests hit a 70/30 split exactly 70 and 30 times.
    let draw = 0;
    const envoy = await startEdgeDouble(t, run, { random: () => ((draw++ % 100) + 0.5) / 100 });
    const port = envoy.port(HTTP);
    const echo = async (host: string, path: string): Promise<EchoedRequest> => {
      const reply = await request(port, host, path);
      assert.equal(reply.status, 200, `${host}${path}: ${reply.status} ${reply.body}`);
      return JSON.parse(reply.body) as EchoedRequest;
    };

    // Host and path: element-wise prefixes, Exact, and what the backend saw.
    const root = await echo('shop.test', '/anything?q=1');
    assert.deepEqual([root.backend, root.path, root.host], ['web-a', '/anything?q=1', 'shop.test']);
    assert.equal(root.headers['x-forwarded-proto'], 'http');
    assert.equal((await echo('shop.test', '/b/c')).backend, 'web-b');
    assert.equal((await echo('shop.test', '/b')).backend, 'web-b');
    assert.equal(
      (await echo('shop.test', '/bc')).backend,
      'web-a',
      '/b is element-wise: /bc is not under it',
    );
    assert.equal((await echo('shop.test', '/exact')).backend, 'web-b');
    assert.equal((await echo('shop.test', '/exact/more')).backend, 'web-a');
    assert.equal(
      (await echo('SHOP.test:8080', '/b')).backend,
      'web-b',
      'host matching ignores case and the port',
    );

    // Wildcards match exactly one label.
    assert.equal((await echo('x.wild.test', '/')).backend, 'web-b');
    assert.equal((await request(port, 'x.y.wild.test', '/')).status, 404);
    assert.equal((await request(port, 'wild.test', '/')).status, 404);
    assert.equal((await request(port, 'nobody.test', '/')).status, 404, 'no virtual host: 404 from the edge');

    // A backend Service that does not exist: the route answers 503 rather than falling through.
    assert.equal((await request(port, 'gone.test', '/')).status, 503);

    // Canary weight 30: exactly 30 of 100 requests reach the canary.
    const counts = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const backend = (await echo('split.test', `/n${i}`)).backend;
      counts.set(backend, (counts.get(backend) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(counts), { 'web-a': 70, 'web-canary': 30 });

    // rewrite-target "/": /app -> /, /app/x -> /x, and Envoy's x-envoy-original-path says what it was.
    const rewritten = await echo('rw.test', '/app/x?y=1');
    assert.equal(rewritten.path, '/x?y=1');
    assert.equal(rewritten.headers['x-envoy-original-path'], '/app/x?y=1');
    assert.equal((await echo('rw.test', '/app')).path, '/');

    // force-ssl-redirect: HTTPS is terminated in front of the edge, so plain HTTP is sent there.
    const forced = await request(port, 'force.test:8080', '/pay?x=1');
    assert.deepEqual([forced.status, forced.headers.location], [301, 'https://force.test/pay?x=1']);
    assert.equal(envoy.lastNack(), undefined, 'the double accepted every resource kxds sent');
  },
);
