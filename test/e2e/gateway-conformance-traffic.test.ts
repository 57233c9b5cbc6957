// HTTPRoute traffic features through the Envoy double, after the upstream suite
// (conformance/tests/httproute-*.go): mirrors (one, several on a named rule, a 0% one never sent), a
// backendRef's own header modifier, request and backendRequest timeouts, an h2c backend, weights (exact, with
// the double's injectable random), cross-namespace backends with and without a ReferenceGrant, an unresolved
// backend's share answering 500, and an ExtensionRef answering 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../helpers/eventually';
import { routeObject, serveRoutesToDouble } from '../helpers/gateway-double';
import {
  CONFORMANCE_LISTENER_PORT,
  CONFORMANCE_NS as NS,
  conformanceClient,
  conformanceInfra,
  prefix,
  ref,
} from '../helpers/gateway-conformance';

test(
  'HTTPRoute mirrors, timeouts, weights and backends through the Envoy double',
  { timeout: 90_000 },
  async (t) => {
    const { echo, objects } = await conformanceInfra(t);
    objects.push(
      routeObject('HTTPRoute', NS, 'traffic', [
        {
          name: 'named-rule',
          matches: [prefix('/mirrors')],
          filters: [
            { type: 'RequestMirror', requestMirror: { backendRef: ref('mirror-backend') } },
            { type: 'RequestMirror', requestMirror: { backendRef: ref('mirror2-backend'), percent: 0 } },
          ],
          backendRefs: [ref('infra-backend-v1')],
        },
        {
          matches: [prefix('/backend-headers')],
          backendRefs: [
            ref('infra-backend-v2', {
              filters: [
                {
                  type: 'RequestHeaderModifier',
                  requestHeaderModifier: { set: [{ name: 'X-Backend', value: 'v2' }] },
                },
              ],
            }),
          ],
        },
        {
          matches: [prefix('/backend-timeout')],
          timeouts: { request: '10s', backendRequest: '500ms' },
          backendRefs: [ref('slow-backend')],
        },
        { matches: [prefix('/h2c')], backendRefs: [ref('h2c-backend')] },
        {
          matches: [prefix('/mirror')],
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref('mirror-backend') } }],
          backendRefs: [ref('infra-backend-v1')],
        },
        {
          matches: [prefix('/weights')],
          backendRefs: [
            ref('infra-backend-v1', { weight: 70 }),
            ref('infra-backend-v2', { weight: 30 }),
            ref('infra-backend-v3', { weight: 0 }),
          ],
        },
        { matches: [prefix('/timeout')], timeouts: { request: '500ms' }, backendRefs: [ref('slow-backend')] },
        { matches: [prefix('/granted')], backendRefs: [ref('web', { namespace: 'granted' })] },
        { matches: [prefix('/denied')], backendRefs: [ref('web', { namespace: 'denied' })] },
        { matches: [prefix('/half')], backendRefs: [ref('infra-backend-v1'), ref('does-not-exist')] },
        {
          matches: [prefix('/extension')],
          filters: [
            { type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Filter', name: 'f' } },
          ],
          backendRefs: [ref('infra-backend-v1')],
        },
      ]),
    );
    let draw = 0;
    const served = await serveRoutesToDouble(
      t,
      objects,
      CONFORMANCE_LISTENER_PORT,
      () => ((draw++ % 100) + 0.5) / 100,
    );
    const { get, echoed, backendOf } = conformanceClient(served.port);

    // Mirror: the backend answers, and the mirror gets a copy.
    assert.equal(await backendOf('/mirror/x'), 'v1');
    await eventually('the mirror backend to get the copy', () =>
      echo.mirror.received.some((r) => r.path === '/mirror/x') ? true : undefined,
    );

    // Two mirrors on a named rule: the full one gets a copy, the 0% one never does.
    assert.equal(await backendOf('/mirrors/x'), 'v1');
    await eventually('the full mirror to get its copy', () =>
      echo.mirror.received.some((r) => r.path === '/mirrors/x') ? true : undefined,
    );
    assert.equal(echo.mirror2.received.length, 0, 'a 0% mirror is never sent');

    // A backendRef's own header modifier, a backendRequest timeout, and an h2c backend.
    assert.equal((await echoed('/backend-headers')).headers['x-backend'], 'v2');
    assert.equal((await get('/backend-timeout')).status, 504);
    assert.equal(
      (await echoed('/h2c')).protocol,
      'HTTP/2.0',
      'appProtocol kubernetes.io/h2c: HTTP/2 upstream',
    );

    // Weights 70/30/0: exactly 70 and 30 of 100 draws, none for the weight-0 backend.
    draw = 0;
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const b = await backendOf(`/weights/${i}`);
      counts[b] = (counts[b] ?? 0) + 1;
    }
    assert.deepEqual(counts, { v1: 70, v2: 30 });

    // Timeouts: the slow backend answers after 3 s; the 500 ms request timeout answers 504 first.
    assert.equal((await get('/timeout')).status, 504);

    // Cross-namespace: allowed by the ReferenceGrant, otherwise 500.
    assert.equal(await backendOf('/granted'), 'other');
    assert.equal((await get('/denied')).status, 500);

    // An unresolved backend keeps its half: exactly 50 of 100 draws answer 500.
    draw = 0;
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 100; i++) {
      const s = (await get(`/half/${i}`)).status;
      statuses[s] = (statuses[s] ?? 0) + 1;
    }
    assert.deepEqual(statuses, { 200: 50, 500: 50 });

    // ExtensionRef: never skipped, 500.
    assert.equal((await get('/extension')).status, 500);
    assert.equal(served.envoy.lastNack(), undefined, 'the double accepted every resource');
    const conditions = Object.fromEntries(
      served.ir.routeConditions.map((r) => [r.route, r.conditions.map((c) => c.reason)]),
    );
    assert.deepEqual(conditions[`HTTPRoute ${NS}/traffic`], ['RefNotPermitted']);
  },
);
