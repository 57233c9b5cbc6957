// `kxds version` prints the CLI's version (package.json) and the server's, read from a running kxds's
// admin address; it fails, naming the address and how to reach it, when there is no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runKxdsToEnd } from '../helpers/cli-process';
import { startObservedApp } from '../helpers/observed-app';

const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

test('kxds version shows client and server versions; --client needs no server', async (t) => {
  const { adminUrl } = await startObservedApp(t);
  const both = await runKxdsToEnd(['version', '--admin-url', adminUrl]);
  assert.equal(both.code, 0, both.stderr);
  assert.equal(
    both.stdout,
    `client: kxds ${PACKAGE_VERSION} (node ${process.version})\n` +
      `server: kxds ${PACKAGE_VERSION} (node ${process.version}) at ${adminUrl}\n`,
  );
  const json = JSON.parse(
    (await runKxdsToEnd(['version', '--admin-url', adminUrl, '-o', 'json'])).stdout,
  ) as {
    client: { version: string };
    server: { version: string; url: string };
  };
  assert.equal(json.client.version, PACKAGE_VERSION);
  assert.deepEqual([json.server.version, json.server.url], [PACKAGE_VERSION, adminUrl]);

  const client = await runKxdsToEnd(['version', '--client', '--admin-url', 'http://127.0.0.1:1']);
  assert.equal(client.code, 0, client.stderr);
  assert.equal(client.stdout, `client: kxds ${PACKAGE_VERSION} (node ${process.version})\n`);
  const version = await runKxdsToEnd(['--version']);
  assert.equal(version.stdout.trim(), PACKAGE_VERSION);
});

test('kxds version fails naming the admin address when no kxds answers there', async () => {
  const result = await runKxdsToEnd(['version', '--admin-url', 'http://127.0.0.1:1', '--timeout', '2000']);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /cannot reach kxds at http:\/\/127\.0\.0\.1:1 .*port-forward deploy\/kxds 9090/,
  );
});
