// The README's demo, as a user runs it: `kxds serve` on demo/manifests with the demo backends, then the
// proxyless client script; its calls must be spread over both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as net from 'node:net';
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

/** Holds HOST:PORT like another program would (if something else holds it already, that is just as good). */
async function occupy(t: { after(fn: () => void): void }, host: string, port: number): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve) => {
    server.once('error', () => resolve()); // already taken by someone else: just as good
    server.listen(port, host, () => resolve());
  });
  t.after(() => server.close());
}

test(
  'make run on a busy machine: taken default ports move to free ones and the client still works',
  { timeout: 60000 },
  async (t) => {
    await occupy(t, '0.0.0.0', 18000);
    await occupy(t, '127.0.0.1', 9090);
    // Exactly the README's `make run` command line: no address flags.
    const kxds = runKxds(['serve', '--manifests', path.join(root, 'demo', 'manifests'), '--demo-backends']);
    t.after(() => kxds.kill('SIGKILL'));
    const moved = await kxds.waitForLog((l) => l.flag === '--xds-address', 20000);
    assert.equal(moved.level, 'warn');
    const ready = await kxds.waitForLog((l) => String(l.msg).startsWith('demo ready'), 20000);
    const xds = String(ready.xds);
    assert.notEqual(xds, '127.0.0.1:18000');
    assert.match(String(ready.msg), new RegExp(`KXDS_XDS=${xds} npm run demo:client`));
    await waitForHttp(`${String(ready.statusPage).replace(/\/ui$/, '')}/readyz`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'demo', 'proxyless-client.js'), '10'],
      { env: { ...process.env, KXDS_XDS: xds }, timeout: 40000 },
    );
    assert.deepEqual([...new Set(stdout.trim().split('\n'))].sort(), [
      'greeter@127.0.0.2',
      'greeter@127.0.0.3',
    ]);
  },
);
