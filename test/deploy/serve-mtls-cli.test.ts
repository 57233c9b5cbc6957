// The real CLI as the shipped Deployment runs it: `kxds certgen` writes the certificates, `kxds serve` with
// --xds-tls-cert/--xds-tls-key/--xds-client-ca serves an Envoy-like client holding the client certificate,
// refuses one without it, and serves proxyless clients on --xds-proxyless-address in plaintext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { AdsTestClient } from '../helpers/ads-client';
import { KXDS_BIN, freePort, runKxds, waitForHttp } from '../helpers/cli-process';
import { startBackends } from '../helpers/greeters';
import { firstReply, spread, useControlPlane } from '../helpers/xds-client';
import { greeterClient } from '../../src/demo/greeter';
import { greeterManifest } from '../helpers/greeter-manifest';

const MANIFEST = (port: number): string => greeterManifest(port);

const EDGE_NODE = { id: 'kxds-edge-0', metadata: { 'kxds.io/role': 'edge' } };

async function clusterResponse(address: string, credentials: grpc.ChannelCredentials): Promise<string> {
  const client = new AdsTestClient(address, EDGE_NODE, credentials);
  try {
    client.request('cluster');
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      if (client.count('cluster') > 0) return 'served';
      if (client.error) return `refused: ${client.error.message}`;
      await new Promise((r) => setTimeout(r, 20));
    }
    return 'no answer';
  } finally {
    client.close();
  }
}

test(
  'kxds serve requires the client certificate certgen made; proxyless clients use the plaintext port',
  { timeout: 60000 },
  async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-serve-mtls-'));
    const certs = path.join(tmp, 'certs');
    execFileSync(process.execPath, [KXDS_BIN, 'certgen', '--output-dir', certs, '--host', '127.0.0.1']);
    const backends = await startBackends(['127.0.0.2', '127.0.0.3']);
    t.after(() => backends.stop());
    fs.mkdirSync(path.join(tmp, 'manifests'));
    fs.writeFileSync(path.join(tmp, 'manifests', 'greeter.yaml'), MANIFEST(backends.port));

    const [xdsPort, proxylessPort, adminPort] = [await freePort(), await freePort(), await freePort()];
    const kxds = runKxds([
      'serve',
      '--manifests',
      path.join(tmp, 'manifests'),
      `--xds-address=127.0.0.1:${xdsPort}`,
      `--xds-proxyless-address=127.0.0.1:${proxylessPort}`,
      `--admin-address=127.0.0.1:${adminPort}`,
      `--xds-tls-cert=${path.join(certs, 'server.crt')}`,
      `--xds-tls-key=${path.join(certs, 'server.key')}`,
      `--xds-client-ca=${path.join(certs, 'ca.crt')}`,
    ]);
    t.after(() => kxds.kill('SIGKILL'));
    await waitForHttp(`http://127.0.0.1:${adminPort}/readyz`);

    const read = (name: string) => fs.readFileSync(path.join(certs, name));
    const address = `127.0.0.1:${xdsPort}`;
    assert.equal(
      await clusterResponse(
        address,
        grpc.credentials.createSsl(read('ca.crt'), read('edge.key'), read('edge.crt')),
      ),
      'served',
    );
    // The CLI's default edge identity is certgen's edge certificate; certgen's other identities are not edges.
    assert.match(
      await clusterResponse(
        address,
        grpc.credentials.createSsl(read('ca.crt'), read('operator.key'), read('operator.crt')),
      ),
      /^refused: 7 PERMISSION_DENIED: identity spiffe:\/\/cluster.local\/ns\/kxds\/sa\/kxds-operator may not claim role edge/,
    );
    assert.match(await clusterResponse(address, grpc.credentials.createSsl(read('ca.crt'))), /^refused/);
    assert.match(await clusterResponse(address, grpc.credentials.createInsecure()), /^refused/);

    useControlPlane(`127.0.0.1:${proxylessPort}`);
    const client = greeterClient('xds:///greeter.demo:50051');
    t.after(() => client.close());
    await firstReply(client);
    const counts = await spread(client, 40);
    assert.deepEqual([...counts.keys()].sort(), ['127.0.0.2', '127.0.0.3']);
  },
);

test('kxds serve refuses an incomplete TLS flag set with a clear message', async () => {
  const kxds = runKxds(['serve', '--manifests', os.tmpdir(), '--xds-tls-cert', '/nonexistent.crt']);
  assert.notEqual(await kxds.exited, 0);
  assert.match(kxds.stderr.join(''), /--xds-tls-cert, --xds-tls-key and --xds-client-ca go together/);
});
