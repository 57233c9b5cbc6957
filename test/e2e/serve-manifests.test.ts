// Issue 2's end-to-end check: the real `kxds serve --manifests` process, a real grpc-js-xds client, two real
// gRPC backends on 127.0.0.2 and 127.0.0.3, file edits, a NACKing raw ADS client, a broken manifest, SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBackends } from '../helpers/greeters';
import { firstReply, spread, useControlPlane } from '../helpers/xds-client';
import { AdsTestClient } from '../helpers/ads-client';
import { runKxds, serveOnFreePorts, waitForHttp } from '../helpers/cli-process';
import { greeterClient } from '../../src/demo/greeter';
import { greeterManifest } from '../helpers/greeter-manifest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const manifest = greeterManifest;

test(
  'kxds serve --manifests: balancing, readiness edits, NACK, broken files, SIGTERM',
  { timeout: 150_000 },
  async (t) => {
    const backends = await startBackends(['127.0.0.2', '127.0.0.3']);
    t.after(() => backends.stop());
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kxds-e2e-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    await fs.mkdir(path.join(dir, 'apps', 'greeter'), { recursive: true });
    const file = path.join(dir, 'apps', 'greeter', 'greeter.yaml');
    await fs.writeFile(file, manifest(backends.port, true));

    const { kxds, xdsAddress, adminAddress } = await serveOnFreePorts([
      '--manifests',
      dir,
      '--log-level',
      'debug',
    ]);
    t.after(() => kxds.kill('SIGKILL'));
    await waitForHttp(`http://${adminAddress}/readyz`);
    // A manifests run has no API server to call a webhook: none is started unless --webhook asks.
    assert.ok(!kxds.logs.some((l) => l.msg === 'sidecar injection webhook listening'));
    const health = await fetch(`http://${adminAddress}/healthz`);
    assert.equal(health.status, 200);

    useControlPlane(xdsAddress);
    const client = greeterClient('xds:///greeter.demo:50051');
    await firstReply(client);
    const counts = await spread(client, 100);
    assert.ok(
      (counts.get('127.0.0.2') ?? 0) >= 30 && (counts.get('127.0.0.3') ?? 0) >= 30,
      JSON.stringify([...counts]),
    );

    // Mark one endpoint not ready: within 2 s every call goes to the other.
    await fs.writeFile(file, manifest(backends.port, false));
    const deadline = Date.now() + 2000;
    let recent = new Map<string, number>();
    while (Date.now() < deadline) {
      recent = await spread(client, 10);
      if (!recent.has('127.0.0.3')) break;
    }
    assert.deepEqual([...recent.keys()], ['127.0.0.2']);
    const after = await spread(client, 30);
    assert.deepEqual([...after.keys()], ['127.0.0.2']);

    // A raw ADS client NACKs: the rejected version is logged and not re-sent in a loop.
    const ads = new AdsTestClient(xdsAddress, {
      id: 'nacker',
      metadata: { 'kxds.io/role': 'proxyless' },
    });
    t.after(() => ads.close());
    ads.request('cluster');
    const cds = await ads.waitFor('cluster');
    ads.request('cluster', [], cds, 'rejected by the test');
    await kxds.waitForLog(
      (l) =>
        l.msg === 'NACK: the client rejected config' &&
        l.node === 'nacker' &&
        l.error === 'rejected by the test',
    );
    await sleep(1500);
    assert.equal(ads.count('cluster'), 1, 'no resend loop after a NACK');

    // A broken manifest changes nothing that was served: neither a new broken file nor breaking the good one.
    const versionBefore = cds.versionInfo;
    await fs.writeFile(path.join(dir, 'broken.yaml'), 'kind: Service\nmetadata: {name: [oops\n');
    await fs.writeFile(
      file,
      // A Deployment is skipped; a Service under an apiVersion it does not have breaks the file.
      manifest(backends.port, false) +
        '\n---\nkind: Deployment\napiVersion: apps/v1\nmetadata: {name: web}\n' +
        '\n---\nkind: Service\napiVersion: v9\nmetadata: {name: mystery}\n',
    );
    await kxds.waitForLog((l) => l.level === 'warn' && String(JSON.stringify(l)).includes('broken.yaml'));
    await kxds.waitForLog((l) => l.level === 'warn' && String(JSON.stringify(l)).includes('mystery'));
    await sleep(1500);
    assert.equal(ads.count('cluster'), 1, 'no new CDS push because of broken files');
    const still = await spread(client, 20);
    assert.deepEqual([...still.keys()], ['127.0.0.2'], 'the last good objects stay in effect');
    assert.equal(ads.responses.at(-1)?.versionInfo, versionBefore);
    client.close();

    // SIGTERM: streams end and the process exits within 10 s.
    const started = Date.now();
    kxds.kill('SIGTERM');
    const code = await kxds.exited;
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 10000, `exit took ${Date.now() - started} ms`);
  },
);

test(
  'kxds serve refuses to start on a manifest directory that does not exist',
  { timeout: 30000 },
  async () => {
    const kxds = runKxds([
      'serve',
      '--manifests',
      '/nonexistent/kxds-manifests',
      '--no-webhook',
      '--xds-address',
      '127.0.0.1:0',
      '--admin-address',
      '127.0.0.1:0',
    ]);
    const code = await kxds.exited;
    assert.equal(code, 1);
    assert.match(kxds.stderr.join(''), /--manifests \/nonexistent\/kxds-manifests: no such directory/);
  },
);
