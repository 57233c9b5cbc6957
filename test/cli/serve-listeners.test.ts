// `kxds serve` as a user meets it on a machine where other programs hold ports: one log line naming the
// listener, the address and the flag; flags from KXDS_* variables; no webhook on a manifests run unless asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { runKxds } from '../helpers/cli-process';

const manifests = path.resolve(__dirname, '..', '..', '..', 'demo', 'manifests');

/** A port held by "another program" for the length of the test. */
async function holdPort(t: { after(fn: () => void): void }): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

const isStarted = (l: Record<string, unknown>): boolean => l.msg === 'kxds started';

test('a taken xDS port: one error line naming listener, address and flag; exit 1; nothing started', async (t) => {
  const held = await holdPort(t);
  const kxds = runKxds([
    'serve',
    '--manifests',
    manifests,
    '--xds-address',
    `127.0.0.1:${held}`,
    '--admin-address',
    '127.0.0.1:0',
  ]);
  t.after(() => kxds.kill('SIGKILL'));
  assert.equal(await kxds.exited, 1);
  const errors = kxds.logs.filter((l) => l.level === 'error');
  assert.equal(errors.length, 1, JSON.stringify(kxds.logs));
  assert.deepEqual(
    { listener: errors[0]?.listener, address: errors[0]?.address, flag: errors[0]?.flag },
    { listener: 'xDS', address: `127.0.0.1:${held}`, flag: '--xds-address' },
  );
  assert.match(String(errors[0]?.msg), /in use by another program: choose another with --xds-address/);
  assert.ok(!kxds.logs.some(isStarted), 'nothing is reported started');
});

test('flags come from KXDS_* variables; the command line wins over them', async (t) => {
  const held = await holdPort(t);
  const fromEnv = runKxds(['serve', '--manifests', manifests], {
    KXDS_XDS_ADDRESS: '127.0.0.1:0',
    KXDS_ADMIN_ADDRESS: `127.0.0.1:${held}`,
  });
  t.after(() => fromEnv.kill('SIGKILL'));
  assert.equal(await fromEnv.exited, 1);
  assert.ok(
    fromEnv.logs.some((l) => l.level === 'error' && l.flag === '--admin-address'),
    JSON.stringify(fromEnv.logs),
  );

  const flagWins = runKxds(['serve', '--manifests', manifests, '--admin-address', '127.0.0.1:0'], {
    KXDS_XDS_ADDRESS: '127.0.0.1:0',
    KXDS_ADMIN_ADDRESS: `127.0.0.1:${held}`,
  });
  t.after(() => flagWins.kill('SIGKILL'));
  await flagWins.waitForLog(isStarted, 20000);

  const badBoolean = runKxds(['serve', '--manifests', manifests], { KXDS_WEBHOOK: 'maybe' });
  assert.equal(await badBoolean.exited, 1);
  assert.match(badBoolean.stderr.join(''), /KXDS_WEBHOOK="maybe": expected true or false/);
});

test('a manifests run starts no webhook unless --webhook asks for it', async (t) => {
  const base = [
    'serve',
    '--manifests',
    manifests,
    '--xds-address',
    '127.0.0.1:0',
    '--admin-address',
    '127.0.0.1:0',
  ];
  const plain = runKxds([...base]);
  t.after(() => plain.kill('SIGKILL'));
  await plain.waitForLog(isStarted, 20000);
  const asked = runKxds([...base, '--webhook', '--webhook-address', '127.0.0.1:0']);
  t.after(() => asked.kill('SIGKILL'));
  await asked.waitForLog((l) => l.msg === 'webhook listening', 20000);
  assert.ok(!plain.logs.some((l) => l.msg === 'webhook listening'), 'no webhook without --webhook');
});
