// The status page's Gateways table in real headless Chromium: a Gateway with its conditions, its listeners
// (attached route counts) and the routes attached to it, from the build's Gateway API statuses (a fake
// front-end supplies them); a route of another controller's Gateway is not listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startObservedApp } from '../helpers/observed-app';
import { openChromiumPage } from '../helpers/chromium';
import { FakeGatewayFrontend } from '../helpers/gateway-ir';

const OURS = 'kxds.io/gateway-controller';
const cond = (type: string, status: 'True' | 'False', reason: string) => ({
  type,
  status,
  reason,
  message: '',
  observedGeneration: 1,
});

test('the status page shows Gateways, their listeners and attached routes', { timeout: 60000 }, async (t) => {
  const fake = new FakeGatewayFrontend();
  fake.statuses = [
    {
      kind: 'Gateway',
      namespace: 'infra',
      name: 'web',
      generation: 1,
      status: {
        conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')],
        listeners: [
          {
            name: 'http',
            attachedRoutes: 2,
            supportedKinds: [],
            conditions: [cond('Accepted', 'True', 'Accepted')],
          },
          {
            name: 'https',
            attachedRoutes: 0,
            supportedKinds: [],
            conditions: [cond('ResolvedRefs', 'False', 'InvalidCertificateRef')],
          },
        ],
      },
    },
    {
      kind: 'HTTPRoute',
      namespace: 'shop',
      name: 'store',
      generation: 1,
      status: {
        parents: [
          {
            parentRef: { name: 'web', namespace: 'infra', sectionName: 'http' },
            controllerName: OURS,
            conditions: [cond('Accepted', 'True', 'Accepted')],
          },
          {
            parentRef: { name: 'theirs', namespace: 'infra' },
            controllerName: 'example.com/other',
            conditions: [],
          },
        ],
      },
    },
    {
      kind: 'GRPCRoute',
      namespace: 'infra',
      name: 'greeter',
      generation: 1,
      status: {
        parents: [
          {
            parentRef: { name: 'web' },
            controllerName: OURS,
            conditions: [cond('Accepted', 'False', 'NotAllowedByListeners')],
          },
        ],
      },
    },
  ];
  const { adminUrl } = await startObservedApp(t, { gatewayFrontend: fake.translate });
  const { page, consoleErrors } = await openChromiumPage(t);
  await page.goto(`${adminUrl}/ui`);
  const row = page.locator('tr[data-gateway="infra/web"]');
  await row.waitFor({ timeout: 10000 });
  const text = await row.innerText();
  assert.match(text, /Accepted=True[\s\S]*Programmed=True/);
  assert.match(await row.locator('li[data-listener="http"]').innerText(), /http 2 routes/);
  assert.match(await row.locator('li[data-listener="https"]').innerText(), /ResolvedRefs=False/);
  assert.match(
    await row.locator('li[data-route="HTTPRoute shop/store"]').innerText(),
    /\(http\): Accepted True \(Accepted\)/,
  );
  // A parentRef without a namespace is in the route's own namespace.
  assert.match(
    await row.locator('li[data-route="GRPCRoute infra/greeter"]').innerText(),
    /Accepted False \(NotAllowedByListeners\)/,
  );
  assert.doesNotMatch(text, /theirs/);
  assert.equal(await page.locator('#gateways-count').innerText(), '(1)');
  assert.deepEqual(consoleErrors, []);
});
