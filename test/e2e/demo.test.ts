// The README's demo, as a user runs it: `kxds serve` on demo/manifests with the demo backends, then the
// proxyless client script; its calls must be spread over both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort, runKxds, waitForHttp } from '../helpers/cli-process';

const root = path.resolve(__dirname, '..', '..', '..');

test('make run demo: the proxyless client reaches both demo backends', { timeout: 60000 }, async (t) => {
  const xdsPort = await freePort();
  const adminPort = await freePort();
  const kxds = runKxds([
    'serve',
    '--manifests',
    path.join(root, 'demo', 'manifests'),
    '--demo-backends',
    '--xds-address',
    `127.0.0.1:${xdsPort}`,
    '--admin-address',
    `127.0.0.1:${adminPort}`,
    '--webhook-address',
    `127.0.0.1:${await freePort()}`,
  ]);
  t.after(() => kxds.kill('SIGKILL'));
  await waitForHttp(`http://127.0.0.1:${adminPort}/readyz`);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(root, 'demo', 'proxyless-client.js'), '20'],
    {
      env: { ...process.env, KXDS_XDS: `127.0.0.1:${xdsPort}` },
      timeout: 40000,
    },
  );
  const servedBy = stdout.trim().split('\n');
  assert.equal(servedBy.length, 20);
  assert.deepEqual([...new Set(servedBy)].sort(), ['greeter@127.0.0.2', 'greeter@127.0.0.3']);
});
