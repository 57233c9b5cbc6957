// The demo of the README's first screen, as a user runs it: `kxds serve` on demo/manifests with the demo backends, then the
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
  t.after(() => stopped(kxds));
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
  // The README's output; with a port suffix when another run on this machine holds the default port.
  const names = [...new Set(servedBy)].sort();
  assert.equal(names.length, 2, JSON.stringify(names));
  assert.match(names[0] ?? '', /^greeter@127\.0\.0\.2(:\d+)?$/);
  assert.match(names[1] ?? '', /^greeter@127\.0\.0\.3(:\d+)?$/);
});

/** Kills a kxds and waits until it is gone, so the next test finds its ports free. */
async function stopped(kxds: ReturnType<typeof runKxds>): Promise<void> {
  kxds.kill('SIGKILL');
  await kxds.exited;
}

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
    await occupy(t, '127.0.0.2', 50061);
    // Exactly the README's `make run` command line: no address flags.
    const kxds = runKxds(['serve', '--manifests', path.join(root, 'demo', 'manifests'), '--demo-backends']);
    t.after(() => stopped(kxds));
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
    const port = /greeter@127\.0\.0\.2:(\d+)/.exec(stdout)?.[1];
    assert.ok(port && port !== '50061', `the backends moved off the held port: ${stdout}`);
    assert.deepEqual([...new Set(stdout.trim().split('\n'))].sort(), [
      `greeter@127.0.0.2:${port}`,
      `greeter@127.0.0.3:${port}`,
    ]);
  },
);

test('two demos at once, with different ARGS, both work', { timeout: 90000 }, async (t) => {
  // The second is started once the first is up, as a person would in a second terminal (two starting in
  // the same millisecond could both find 18000 free before either binds it).
  const ready: Record<string, unknown>[] = [];
  for (const args of [
    ['--log-level', 'info'],
    ['--debounce', '50'],
  ]) {
    const kxds = runKxds([
      'serve',
      '--manifests',
      path.join(root, 'demo', 'manifests'),
      '--demo-backends',
      ...args,
    ]);
    t.after(() => stopped(kxds));
    ready.push(await kxds.waitForLog((l) => String(l.msg).startsWith('demo ready'), 20000));
  }
  const replies: string[][] = [];
  for (const demo of ready) {
    await waitForHttp(`${String(demo.statusPage).replace(/\/ui$/, '')}/readyz`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'demo', 'proxyless-client.js'), '10'],
      { env: { ...process.env, KXDS_XDS: String(demo.xds) }, timeout: 40000 },
    );
    replies.push([...new Set(stdout.trim().split('\n'))].sort());
  }
  // Each demo's client reached that demo's own two backends.
  for (const served of replies) assert.equal(served.length, 2, JSON.stringify(replies));
  assert.notDeepEqual(replies[0], replies[1], JSON.stringify(replies));
});
