// What the admin address says about itself: `/` lists every page, `/version` and the kxds_build_info
// metric carry the version from package.json, and --metrics-address serves metrics and health on a port
// of its own without the debug API or the status page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startObservedApp } from '../helpers/observed-app';

const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

async function fetchText(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

test('GET / lists every admin page with what it is', async (t) => {
  const { get } = await startObservedApp(t);
  const index = await get('/');
  assert.equal(index.status, 200);
  for (const page of [
    '/healthz',
    '/readyz',
    '/metrics',
    '/version',
    '/debug/snapshot',
    '/debug/nodes',
    '/debug/warnings',
    '/ui',
    '/ui/state',
    '/ui/events',
  ])
    assert.match(index.body, new RegExp(`^${page.replace(/\//g, '\\/')} +\\S`, 'm'), `${page} is listed`);
  const missing = await get('/nope');
  assert.equal(missing.status, 404);
  assert.match(missing.body, /GET \/ lists the pages/);
});

test('/version and kxds_build_info carry the package version and the Node.js version', async (t) => {
  const { get } = await startObservedApp(t);
  assert.deepEqual(JSON.parse((await get('/version')).body), {
    version: PACKAGE_VERSION,
    node: process.version,
  });
  const metrics = (await get('/metrics')).body;
  assert.ok(
    metrics.includes(`kxds_build_info{version="${PACKAGE_VERSION}",node_version="${process.version}"} 1`),
    metrics
      .split('\n')
      .filter((l) => l.includes('build_info'))
      .join('\n'),
  );
});

test('--metrics-address: metrics and health on their own port, no debug API or status page there', async (t) => {
  const { app, get } = await startObservedApp(t, { metricsAddress: '127.0.0.1:0' });
  assert.ok(app.metricsPort && app.metricsPort !== app.adminPort, 'a port of its own');
  const base = `http://127.0.0.1:${app.metricsPort}`;
  const metrics = await fetchText(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /^kxds_build_info\{/m);
  assert.match(metrics.body, /^kxds_xds_connected_streams\{role="proxyless"\} 0$/m);
  assert.equal((await fetchText(`${base}/healthz`)).status, 200);
  assert.equal((await fetchText(`${base}/readyz`)).status, 200);
  for (const hidden of ['/debug/nodes', '/debug/snapshot?role=edge', '/ui', '/ui/state'])
    assert.equal((await fetchText(`${base}${hidden}`)).status, 404, `${hidden} is not on the metrics port`);
  assert.equal((await get('/metrics')).status, 200, 'the admin address keeps /metrics');
});

test('a request target that is no URL path gets a 400, and the process goes on (found by make fuzz)', async (t) => {
  const { adminUrl, get } = await startObservedApp(t);
  const { port } = new URL(adminUrl);
  // Resolved against a base, "//%00" names a host "%00" and did not parse: the rejection ended kxds.
  for (const target of ['//%00', '//']) {
    const status = await new Promise<number | undefined>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: target }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on('error', reject),
    );
    assert.ok(status === 400 || status === 404, `${target}: ${status}`);
  }
  assert.equal((await get('/healthz')).status, 200);
});
