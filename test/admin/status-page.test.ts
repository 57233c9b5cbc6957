// The status page in real headless Chromium (Debian's, driven by playwright-core): it loads without console
// errors, lists a connected client with what its dialect held back, and shows a NACK with its error text within 2 s of a raw ADS client
// sending it. With UPDATE_SCREENSHOTS=1 it refreshes docs/status-page.png (docs/operations.md shows it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AdsTestClient } from '../helpers/ads-client';
import { startObservedApp } from '../helpers/observed-app';
import { edgeSnapshot } from '../helpers/edge-fixture';
import { openChromiumPage } from '../helpers/chromium';

test(
  'status page lists proxies and shows a NACK within 2 s, without console errors',
  { timeout: 60000 },
  async (t) => {
    const { app, xdsAddress, adminUrl } = await startObservedApp(t);
    app.cache.setSnapshot(edgeSnapshot(app.cache.getSnapshot('edge')));

    const edge = new AdsTestClient(xdsAddress, { id: 'edge-7f9c', metadata: { 'kxds.io/role': 'edge' } });
    t.after(() => edge.close());
    edge.request('cluster', []);
    edge.request('cluster', [], await edge.waitFor('cluster'));
    edge.request('listener', []);
    edge.request('listener', [], await edge.waitFor('listener'));

    const px = new AdsTestClient(xdsAddress, {
      id: 'greeter-client-1',
      metadata: { 'kxds.io/role': 'proxyless' },
    });
    t.after(() => px.close());
    px.request('cluster', []);
    const pxCds = await px.waitFor('cluster');

    const { page, consoleErrors, profile } = await openChromiumPage(t);

    await page.goto(`${adminUrl}/ui`);
    await page.locator('tr[data-node="edge-7f9c"]').waitFor({ timeout: 5000 });
    await page.locator('tr[data-node="greeter-client-1"]').waitFor({ timeout: 5000 });
    assert.match(await page.locator('tr[data-node="edge-7f9c"]').innerText(), /edge[\s\S]*ACKED/);
    assert.match(
      await page.locator('#warnings').innerText(),
      /Service demo\/odd: annotation .*InvalidAnnotation/,
    );
    assert.match(await page.locator('#routes').innerText(), /shop\.example\.com/);
    // What the proxyless client's dialect could not take is shown on its row.
    const heldBack = page.locator('tr[data-node="greeter-client-1"] td[data-held-back="1"]');
    assert.match(await heldBack.innerText(), /grpc: 1 held back/);

    const message = 'cluster "demo/greeter/50051": unsupported lb_policy (from the test)';
    const sentAt = Date.now();
    px.request('cluster', [], pxCds, message);
    const nack = page.locator('tr[data-node="greeter-client-1"] td[data-type="cluster"] .nack-text');
    await nack.waitFor({ timeout: 2000 });
    const elapsed = Date.now() - sentAt;
    assert.equal(await nack.innerText(), message);
    assert.ok(elapsed <= 2000, `NACK shown after ${elapsed} ms`);
    assert.match(await page.locator('tr[data-node="greeter-client-1"]').innerText(), /NACKED/);

    const out = process.env.UPDATE_SCREENSHOTS
      ? path.resolve(__dirname, '../../../docs/status-page.png')
      : path.join(profile, 'status-page.png');
    await page.screenshot({ path: out, fullPage: true });
    assert.ok(fs.statSync(out).size > 10_000, 'a real screenshot was taken');
    assert.deepEqual(consoleErrors, []);
  },
);
