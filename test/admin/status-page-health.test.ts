// The status page in headless Chromium counts an endpoint whose pod is not ready as down (1 / 2, amber),
// not as absent (1 / 1, green) as the served EDS alone would say, and shows the kxds version serving it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startObservedApp } from '../helpers/observed-app';
import { openChromiumPage } from '../helpers/chromium';

const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

test(
  'a not-ready endpoint is down on the status page; the page names the kxds version',
  { timeout: 60000 },
  async (t) => {
    const { source, slice, adminUrl, get } = await startObservedApp(t);
    const { page, consoleErrors } = await openChromiumPage(t);
    await page.goto(`${adminUrl}/ui`);
    const greeter = page.locator('tr[data-cluster="demo/greeter/50051"]').first();
    await greeter.locator('td.health-ok').waitFor({ timeout: 5000 });
    assert.match(await greeter.innerText(), /2 \/ 2/);

    // 127.0.0.3's pod turns not ready: EDS drops it, the page keeps counting it, as down.
    source.upsert(slice(['127.0.0.2']));
    await greeter.locator('td.health-some').waitFor({ timeout: 5000 });
    assert.match(await greeter.innerText(), /1 \/ 2/);
    const state = JSON.parse((await get('/ui/state')).body) as {
      version: string;
      routes: { cluster: string; healthy: number; total: number }[];
    };
    const rows = state.routes.filter((r) => r.cluster === 'demo/greeter/50051');
    assert.ok(rows.length > 0);
    for (const r of rows) assert.deepEqual([r.healthy, r.total], [1, 2]);

    source.upsert(slice([]));
    await greeter.locator('td.health-bad').waitFor({ timeout: 5000 });
    assert.match(await greeter.innerText(), /0 \/ 2/);

    assert.equal(state.version, PACKAGE_VERSION);
    assert.match(
      await page.locator('#meta').innerText(),
      new RegExp(`^kxds ${PACKAGE_VERSION.replace(/\./g, '\\.')} · `),
    );
    assert.deepEqual(consoleErrors, []);
  },
);
