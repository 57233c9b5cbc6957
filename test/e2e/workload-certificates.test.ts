// Short-lived workload certificates end to end on loopback: the real `kxds serve --kubeconfig --ca-address`
// against the API server double (which reviews tokens like the TokenReview API), the real `kxds agent --once`
// with a projected-token file. The agent writes a 24 h certificate for the token's ServiceAccount (its own
// key, never sent), and an ADS client holding it is served as a sidecar of that namespace and refused as
// another namespace's sidecar or as the edge. A bad token, a token for another audience and a broken CSR are
// refused with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { generateXdsCertificates } from '../../src/certs/xds-certificates';
import { CERT_FILES, writeCertificateFiles } from '../../src/certs/output';
import { fetchWorkloadCertificate } from '../../src/agent/fetch-certificate';
import { workloadCertificatesService, type WorkloadCertificatesClient } from '../../src/ca/proto';
import { AdsTestClient } from '../helpers/ads-client';
import { freePort, runKxdsToEnd, waitForHttp } from '../helpers/cli-process';
import {
  Cleanup,
  killKxds,
  namespace,
  startClusterKxds,
  startDoubleWithKubeconfig,
} from '../helpers/cluster-kxds';

type Outcome = { served: true } | { code: number; details: string };

async function askClusters(
  address: string,
  node: Record<string, unknown>,
  credentials: grpc.ChannelCredentials,
): Promise<Outcome> {
  const client = new AdsTestClient(address, node, credentials);
  try {
    client.request('cluster', []);
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (client.count('cluster') > 0) return { served: true };
      const err = client.error as grpc.ServiceError | undefined;
      if (err) return { code: err.code, details: err.details };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('neither a response nor an error within 10 s');
  } finally {
    client.close();
  }
}

const sidecar = (ns: string) => ({
  id: `app-1.${ns}`,
  metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': ns },
});
const SHOP_ID = 'spiffe://cluster.local/ns/shop/sa/checkout';

test(
  'kxds agent gets a short-lived certificate for its token; ADS serves exactly that identity',
  { timeout: 120_000 },
  async (t) => {
    const cleanup = new Cleanup();
    t.after(() => cleanup.run());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-workload-'));
    cleanup.add(() => fs.rmSync(dir, { recursive: true, force: true }));
    const certs = await generateXdsCertificates({
      serverHosts: ['localhost', '127.0.0.1'],
      sidecarNamespaces: [],
    });
    writeCertificateFiles(dir, certs, false);
    const file = (name: string) => path.join(dir, name);

    const { double, kubeconfig } = await startDoubleWithKubeconfig();
    cleanup.add(() => double.stop());
    double.create(namespace('shop'));
    double.tokens.set('shop-checkout-token', {
      namespace: 'shop',
      serviceAccount: 'checkout',
      audiences: ['kxds'],
    });
    double.tokens.set('wrong-audience', {
      namespace: 'shop',
      serviceAccount: 'checkout',
      audiences: ['vault'],
    });

    const caPort = await freePort();
    const kxds = await startClusterKxds(kubeconfig, [
      `--xds-tls-cert=${file(CERT_FILES.serverCert)}`,
      `--xds-tls-key=${file(CERT_FILES.serverKey)}`,
      `--xds-client-ca=${file(CERT_FILES.caCert)}`,
      `--ca-address=127.0.0.1:${caPort}`,
      `--ca-signing-cert=${file(CERT_FILES.caCert)}`,
      `--ca-signing-key=${file(CERT_FILES.caKey)}`,
    ]);
    cleanup.add(() => killKxds(kxds));
    await waitForHttp(`${kxds.adminUrl}/readyz`, 200, 60_000);
    await kxds.kxds.waitForLog((l) => l['msg'] === 'workload CA listening', 30_000);

    const tokenFile = file('token');
    fs.writeFileSync(tokenFile, 'shop-checkout-token\n');
    const out = path.join(dir, 'workload');
    const agent = await runKxdsToEnd([
      'agent',
      '--once',
      `--ca-server=127.0.0.1:${caPort}`,
      `--ca-root=${file(CERT_FILES.caCert)}`,
      `--token-file=${tokenFile}`,
      `--output-dir=${out}`,
    ]);
    assert.equal(agent.code, 0, agent.stderr + agent.stdout);
    const chain = fs.readFileSync(path.join(out, 'tls.crt'), 'utf8');
    const key = fs.readFileSync(path.join(out, 'tls.key'), 'utf8');
    const leaf = new X509Certificate(chain);
    assert.match(leaf.subjectAltName ?? '', new RegExp(`URI:${SHOP_ID}`));
    const lifetimeHours = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 3_600_000;
    assert.ok(
      lifetimeHours > 24 && lifetimeHours < 24.2,
      `24 h (+ the 5 min backdate), got ${lifetimeHours}`,
    );
    assert.equal(fs.statSync(path.join(out, 'tls.key')).mode & 0o077, 0, 'the key is private to its owner');
    assert.equal(fs.readFileSync(path.join(out, 'ca.crt'), 'utf8'), certs.ca.certPem);
    assert.match(fs.readFileSync(path.join(out, 'xds-client-sds.yaml'), 'utf8'), /name: kxds-xds-client/);

    const credentials = grpc.credentials.createSsl(
      Buffer.from(certs.ca.certPem),
      Buffer.from(key),
      Buffer.from(chain),
    );
    assert.deepEqual(await askClusters(kxds.xdsAddress, sidecar('shop'), credentials), { served: true });
    for (const node of [sidecar('demo'), { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } }]) {
      const outcome = await askClusters(kxds.xdsAddress, node, credentials);
      assert.ok('code' in outcome && outcome.code === grpc.status.PERMISSION_DENIED, JSON.stringify(outcome));
      assert.ok(outcome.details.includes(SHOP_ID), outcome.details);
    }

    // Refusals, each with its reason.
    const fetchWith = (token: string) => {
      fs.writeFileSync(tokenFile, token);
      return fetchWorkloadCertificate({
        server: `127.0.0.1:${caPort}`,
        rootPem: certs.ca.certPem,
        tokenFile,
      });
    };
    await assert.rejects(fetchWith('stolen-or-made-up'), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.UNAUTHENTICATED);
      assert.match(err.details, /the token is not valid: invalid bearer token/);
      return true;
    });
    await assert.rejects(fetchWith('wrong-audience'), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.UNAUTHENTICATED);
      assert.match(err.details, /audience/);
      return true;
    });
    const Client = workloadCertificatesService();
    const raw = new Client(
      `127.0.0.1:${caPort}`,
      grpc.credentials.createSsl(Buffer.from(certs.ca.certPem)),
    ) as unknown as WorkloadCertificatesClient;
    cleanup.add(() => raw.close());
    const noToken = await new Promise<grpc.ServiceError | null>((resolve) =>
      raw.Sign({ csr: 'x', validity_seconds: 0 }, new grpc.Metadata(), {}, (err) => resolve(err)),
    );
    assert.equal(noToken?.code, grpc.status.UNAUTHENTICATED);
    const withToken = new grpc.Metadata();
    withToken.set('authorization', 'Bearer shop-checkout-token');
    const badCsr = await new Promise<grpc.ServiceError | null>((resolve) =>
      raw.Sign(
        {
          csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n',
          validity_seconds: 0,
        },
        withToken,
        {},
        (err) => resolve(err),
      ),
    );
    assert.equal(badCsr?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(badCsr?.details ?? '', /PKCS#10/);
    const logs = JSON.stringify(kxds.kxds.logs);
    assert.ok(!logs.includes('shop-checkout-token'), 'no token in the logs');
    assert.ok(!logs.includes('stolen-or-made-up'), 'no token in the logs');
  },
);
