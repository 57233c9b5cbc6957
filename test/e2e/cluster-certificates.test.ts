// `kxds serve --issue-certificates` end to end against the Kubernetes API server double, with the test in
// the kubelet's place (it copies each Secret into the files the pod would mount): kxds starts before its
// certificate files exist and refuses TLS (and is not ready) until they appear; the leader writes the Secrets and the webhook's
// caBundle (and a labelled namespace's sidecar Secret); then the xDS port serves an edge over mutual TLS with the issued edge certificate, the webhook
// answers over TLS trusted by the caBundle, and a re-issued server certificate is served without a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import {
  Cleanup,
  eventually,
  namespace,
  startClusterKxds,
  startDoubleWithKubeconfig,
} from '../helpers/cluster-kxds';
import type { ApiServerDouble } from '../k8s-double/api-server-double';

const serial = (pem: string): string => new X509Certificate(pem).serialNumber;

type Pem = { 'tls.crt': string; 'tls.key': string; 'ca.crt': string };

function secret(double: ApiServerDouble, name: string, namespace = 'kxds'): Pem | undefined {
  const data = double.get('v1', 'Secret', name, namespace)?.['data'] as Record<string, string> | undefined;
  if (!data) return undefined;
  const pem = (key: keyof Pem) => Buffer.from(data[key] ?? '', 'base64').toString('utf8');
  return { 'tls.crt': pem('tls.crt'), 'tls.key': pem('tls.key'), 'ca.crt': pem('ca.crt') };
}

/** What the kubelet does for a mounted Secret: the files appear (the directory already exists). */
function mount(data: Pem, dir: string): void {
  for (const [file, text] of Object.entries(data)) fs.writeFileSync(path.join(dir, `${file}.tmp`), text);
  for (const file of Object.keys(data)) fs.renameSync(path.join(dir, `${file}.tmp`), path.join(dir, file));
}

/** A TLS handshake presenting `client` (with gRPC's HTTP/2 ALPN); resolves with the server's certificate serial. */
function handshake(port: number, ca: string, client?: Pem): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername: 'kxds.kxds.svc',
      ca,
      ...(client ? { cert: client['tls.crt'], key: client['tls.key'], ALPNProtocols: ['h2'] } : {}),
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('handshake timed out')));
    socket.once('secureConnect', () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.destroy();
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before the handshake')));
  });
}

test(
  'kxds issues its own certificates, serves with them once mounted, and reloads a re-issued one',
  { timeout: 180_000 },
  async (t) => {
    const cleanup = new Cleanup();
    t.after(() => cleanup.run());
    const { double, kubeconfig } = await startDoubleWithKubeconfig();
    cleanup.add(() => double.stop());
    double.create(namespace('kxds'));
    double.create({
      ...namespace('mesh'),
      metadata: { name: 'mesh', labels: { 'kxds.io/inject': 'enabled' } },
    });
    double.create({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'kxds-sidecar-injector' },
      webhooks: [{ name: 'pod.sidecar.kxds.io', clientConfig: { url: 'https://unused.invalid' } }],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-issued-'));
    const [xdsDir, webhookDir] = ['tls', 'webhook-tls'].map((sub) => path.join(dir, sub)) as [string, string];
    for (const d of [xdsDir, webhookDir]) fs.mkdirSync(d);
    const p = await startClusterKxds(kubeconfig, [
      '--issue-certificates',
      '--kxds-namespace=kxds',
      '--certificate-check-interval=1',
      '--sidecar-xds-tls-secret=kxds-sidecar-tls',
      `--xds-tls-cert=${xdsDir}/tls.crt`,
      `--xds-tls-key=${xdsDir}/tls.key`,
      `--xds-client-ca=${xdsDir}/ca.crt`,
      '--webhook',
      '--webhook-address=127.0.0.1:0',
      `--webhook-cert=${webhookDir}/tls.crt`,
      `--webhook-key=${webhookDir}/tls.key`,
    ]);
    cleanup.add(() => p.kxds.kill('SIGKILL'));
    const webhookPort = Number(
      String((await p.kxds.waitForLog((l) => l.msg === 'webhook listening', 60_000))['address']).split(
        ':',
      )[1],
    );
    const xdsPort = Number(p.xdsAddress.split(':')[1]);

    const issued = await eventually(
      'the Secrets and the caBundle',
      () => {
        const mwc = double.get(
          'admissionregistration.k8s.io/v1',
          'MutatingWebhookConfiguration',
          'kxds-sidecar-injector',
        );
        const caBundle = (mwc?.['webhooks'] as { clientConfig: { caBundle?: string } }[])[0]?.clientConfig
          .caBundle;
        const [server, webhook, edge] = ['kxds-server-tls', 'kxds-webhook-tls', 'kxds-edge-tls'].map((n) =>
          secret(double, n),
        );
        const sidecar = secret(double, 'kxds-sidecar-tls', 'mesh');
        return server && webhook && edge && sidecar && caBundle
          ? { server, webhook, edge, sidecar, caBundle }
          : undefined;
      },
      60_000,
    );
    const trust = issued.server['ca.crt'];
    assert.equal(Buffer.from(issued.caBundle, 'base64').toString('utf8'), trust, 'the webhook trusts the CA');
    // No files yet: both TLS ports take connections and close them, and kxds says it is not ready.
    await assert.rejects(handshake(xdsPort, trust, issued.edge));
    await assert.rejects(handshake(webhookPort, trust));
    const readyz = async () => {
      const res = await fetch(`${p.adminUrl}/readyz`);
      return `${res.status} ${await res.text()}`;
    };
    await eventually(
      'not ready for want of the certificate',
      async () => ((await readyz()).includes('xDS TLS certificate is not loaded yet') ? true : undefined),
      60_000,
    );
    assert.match(await readyz(), /^503 /);

    mount(issued.server, xdsDir);
    mount(issued.webhook, webhookDir);
    const first = await eventually(
      'the xDS port serves the issued certificate',
      () => handshake(xdsPort, trust, issued.edge),
      40_000,
      500,
    );
    assert.equal(first, serial(issued.server['tls.crt']));
    // The labelled namespace's sidecars hold their own identity, and the port accepts it.
    assert.equal(
      new X509Certificate(issued.sidecar['tls.crt']).subjectAltName,
      'URI:spiffe://cluster.local/ns/mesh/sa/kxds-sidecar',
    );
    assert.equal(await handshake(xdsPort, trust, issued.sidecar), first);
    await eventually('the webhook serves its certificate', () => handshake(webhookPort, trust), 40_000, 500);
    const health = await eventually(
      'the webhook answers over TLS',
      () =>
        new Promise<string>((resolve, reject) => {
          const socket = tls.connect(
            { host: '127.0.0.1', port: webhookPort, servername: 'kxds.kxds.svc', ca: trust },
            () => socket.end('GET /healthz HTTP/1.1\r\nHost: kxds\r\nConnection: close\r\n\r\n'),
          );
          let body = '';
          socket.on('data', (chunk: Buffer) => (body += chunk.toString()));
          socket.on('end', () => resolve(body));
          socket.on('error', reject);
        }),
      20_000,
    );
    assert.match(health, /^HTTP\/1\.1 200[\s\S]*ok/);
    await eventually('ready', async () => ((await readyz()) === '200 ready\n' ? true : undefined), 20_000);

    // The server Secret is lost: the leader issues a new one at its next check; once the files change the
    // port serves it, same process.
    double.delete({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kxds-server-tls', namespace: 'kxds' },
    });
    const renewed = await eventually(
      'a new server certificate',
      () => {
        const next = secret(double, 'kxds-server-tls');
        return next && next['tls.crt'] !== issued.server['tls.crt'] ? next : undefined;
      },
      30_000,
    );
    mount(renewed, xdsDir);
    await eventually(
      'the xDS port serves the new certificate',
      async () =>
        (await handshake(xdsPort, trust, issued.edge)) === serial(renewed['tls.crt']) ? true : undefined,
      40_000,
      500,
    );
    assert.equal(p.kxds.child.exitCode, null, 'no restart');
    assert.ok(!JSON.stringify(p.kxds.logs).includes('PRIVATE KEY'), 'no key in the logs');
  },
);
