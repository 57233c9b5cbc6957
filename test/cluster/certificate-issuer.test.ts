// The in-cluster certificate issuer against the Kubernetes API server double: the leader creates the CA and
// the four Secrets and sets the webhook's caBundle; a second check writes nothing; leaves are renewed with a
// third of their lifetime left (the edge Deployment then rolled), the CA in two phases (a next CA trusted
// first, signing 120 days later); a follower reads and writes
// nothing until it leads; a Secret someone else made is left alone; each sidecar namespace gets its Secret.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { CertificateIssuer } from '../../src/cluster/certificate-issuer';
import { pemCertificates } from '../../src/certs/renewal';
import { connectKube } from '../../src/sources/kube-client';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import type { StoredObject } from '../k8s-double/selectors';
import { startDouble, waitFor } from '../sources/kube-harness';

const SETTINGS = { namespace: 'kxds', service: 'kxds', trustDomain: 'cluster.local' };
const WEBHOOK = 'kxds-sidecar-injector';
const LEAVES = ['kxds-server-tls', 'kxds-webhook-tls', 'kxds-edge-tls', 'kxds-operator-tls'];
const DAY = 24 * 3600 * 1000;

function webhookConfiguration(): StoredObject {
  const webhook = (name: string) => ({
    name,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    clientConfig: { service: { name: 'kxds', namespace: 'kxds', path: '/mutate', port: 443 } },
  });
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: WEBHOOK },
    webhooks: [webhook('namespace.sidecar.kxds.io'), webhook('pod.sidecar.kxds.io')],
  };
}

function edgeDeployment(): StoredObject {
  const labels = { 'app.kubernetes.io/name': 'kxds-edge' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kxds-edge', namespace: 'kxds' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [] } } },
  };
}

/** The certificate serial the edge Deployment's pod template was last rolled for. */
function rolledFor(double: ApiServerDouble): string | undefined {
  const spec = double.get('apps/v1', 'Deployment', 'kxds-edge', 'kxds')?.['spec'] as
    { template: { metadata: { annotations?: Record<string, string> } } } | undefined;
  return spec?.template.metadata.annotations?.['kxds.io/client-certificate-serial'];
}

const decode = (value: unknown): string => Buffer.from(String(value), 'base64').toString('utf8');

function secretData(double: ApiServerDouble, name: string): Record<string, string> | undefined {
  const secret = double.get('v1', 'Secret', name, 'kxds');
  const data = secret?.['data'] as Record<string, string> | undefined;
  return data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decode(v)]));
}

function certOf(double: ApiServerDouble, name: string): X509Certificate {
  const data = secretData(double, name);
  assert.ok(data, `Secret kxds/${name} exists`);
  return new X509Certificate(data['tls.crt'] ?? '');
}

function caBundles(double: ApiServerDouble): string[] {
  const mwc = double.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', WEBHOOK);
  const webhooks = (mwc?.['webhooks'] ?? []) as { clientConfig: { caBundle?: string } }[];
  return webhooks.map((w) => decode(w.clientConfig.caBundle ?? ''));
}

const writes = (double: ApiServerDouble) =>
  double.requests.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method)).length;

describe('in-cluster certificate issuer', () => {
  let double: ApiServerDouble | undefined;
  const issuers: CertificateIssuer[] = [];
  afterEach(async () => {
    for (const issuer of issuers.splice(0)) await issuer.stop();
    await double?.stop();
  });

  /** A started issuer (one per test) on a fresh double. */
  async function issuer(
    leader: BehaviorSubject<boolean>,
    clock = { now: Date.now() },
    sidecars?: { namespaces: () => readonly string[]; changes$: Subject<void> },
  ) {
    const started = await startDouble();
    double = started.double;
    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    const made = new CertificateIssuer({
      client,
      isLeader$: leader,
      settings: SETTINGS,
      webhookConfiguration: WEBHOOK,
      checkIntervalMs: 3_600_000,
      now: () => clock.now,
      ...(sidecars ? { sidecars: { secretName: 'kxds-sidecar-tls', ...sidecars } } : {}),
    });
    issuers.push(made);
    made.start();
    return made;
  }

  test('the leader creates the CA and the Secrets, sets the caBundle, and a second check writes nothing', async () => {
    const leader = new BehaviorSubject(true);
    const kxds = await issuer(leader);
    const d = double!;
    d.create(webhookConfiguration());
    await kxds.reconcile();

    const ca = secretData(d, 'kxds-ca');
    assert.ok(ca);
    assert.ok(ca['tls.key']?.includes('PRIVATE KEY'), 'the CA key is kept in its own Secret');
    const caCert = new X509Certificate(ca['tls.crt'] ?? '');
    assert.equal(caCert.ca, true);
    for (const name of LEAVES) {
      const secret = d.get('v1', 'Secret', name, 'kxds');
      assert.equal(secret?.['type'], 'kubernetes.io/tls', name);
      assert.equal(secret?.metadata.labels?.['app.kubernetes.io/managed-by'], 'kxds-certificate-issuer');
      assert.ok(certOf(d, name).verify(caCert.publicKey), `${name} is signed by the CA`);
      assert.equal(secretData(d, name)?.['ca.crt'], ca['ca.crt'], `${name} carries the trust bundle`);
    }
    assert.match(certOf(d, 'kxds-server-tls').subjectAltName ?? '', /DNS:kxds\.kxds\.svc\b/);
    assert.match(certOf(d, 'kxds-webhook-tls').subjectAltName ?? '', /DNS:kxds\.kxds\.svc\.cluster\.local/);
    assert.notEqual(
      secretData(d, 'kxds-server-tls')?.['tls.key'],
      secretData(d, 'kxds-webhook-tls')?.['tls.key'],
    );
    assert.equal(
      certOf(d, 'kxds-edge-tls').subjectAltName,
      'URI:spiffe://cluster.local/ns/kxds/sa/kxds-edge',
    );
    assert.equal(
      certOf(d, 'kxds-operator-tls').subjectAltName,
      'URI:spiffe://cluster.local/ns/kxds/sa/kxds-operator',
    );
    assert.deepEqual(caBundles(d), [ca['ca.crt'], ca['ca.crt']], 'every webhook trusts the CA');

    const before = writes(d);
    await kxds.reconcile();
    assert.equal(writes(d), before, 'nothing changed, nothing written');
  });

  test('leaves are renewed with a third of their lifetime left; the CA is trusted before it signs', async () => {
    const clock = { now: Date.now() };
    const kxds = await issuer(new BehaviorSubject(true), clock);
    const d = double!;
    d.create(webhookConfiguration());
    d.create(edgeDeployment());
    await kxds.reconcile();
    assert.equal(rolledFor(d), undefined, 'a first issue rolls nothing: the pods wait for the Secret');
    const firstCa = secretData(d, 'kxds-ca')?.['tls.crt'];
    const serial = (name: string) => certOf(d, name).serialNumber;
    const first = LEAVES.map(serial);

    clock.now += 59 * DAY; // 31 of 90 days left: kept
    await kxds.reconcile();
    assert.deepEqual(LEAVES.map(serial), first);
    clock.now += 2 * DAY; // 29 left: renewed, by the same CA
    await kxds.reconcile();
    const renewed = LEAVES.map(serial);
    for (const [i, name] of LEAVES.entries()) assert.notEqual(renewed[i], first[i], `${name} renewed`);
    assert.equal(rolledFor(d), serial('kxds-edge-tls'), 'the edge is rolled to read its renewed certificate');
    assert.equal(secretData(d, 'kxds-ca')?.['tls.crt'], firstCa, 'the CA stays');

    clock.now = Date.now() + 2500 * DAY; // under a third of the CA's 10 years left: a next CA, trusted only
    await kxds.reconcile();
    const staged = secretData(d, 'kxds-ca');
    assert.equal(staged?.['tls.crt'], firstCa, 'the old CA still signs');
    const nextCa = staged?.['next.crt'] ?? '';
    assert.match(nextCa, /BEGIN CERTIFICATE/);
    const bundle = pemCertificates(staged?.['ca.crt'] ?? '').map((p) => p.trim());
    assert.deepEqual(bundle, [firstCa?.trim(), nextCa.trim()], 'both trusted');
    const oldCa = new X509Certificate(firstCa ?? '');
    for (const name of LEAVES) {
      // (Renewed meanwhile: the clock jumped years past their 90 days.)
      assert.ok(certOf(d, name).verify(oldCa.publicKey), `${name} still signed by the old CA`);
      assert.equal(secretData(d, name)?.['ca.crt'], staged?.['ca.crt'], `${name} trusts both`);
    }
    assert.deepEqual(caBundles(d), [staged?.['ca.crt'], staged?.['ca.crt']]);

    clock.now = Date.now() + 2500 * DAY + 121 * DAY; // 120 days later the next CA signs
    await kxds.reconcile();
    const ca = secretData(d, 'kxds-ca');
    assert.equal(ca?.['tls.crt'], nextCa, 'the next CA signs');
    assert.equal(ca?.['next.crt'], undefined);
    assert.deepEqual(
      pemCertificates(ca?.['ca.crt'] ?? '').map((p) => p.trim()),
      [nextCa.trim(), firstCa?.trim()],
      'the old CA trusted until it expires',
    );
    const newCa = new X509Certificate(nextCa);
    for (const name of LEAVES) assert.ok(certOf(d, name).verify(newCa.publicKey), `${name} re-signed`);
    assert.deepEqual(caBundles(d), [ca?.['ca.crt'], ca?.['ca.crt']]);
  });

  test('a follower neither reads nor writes; once it leads it issues', async () => {
    const leader = new BehaviorSubject(false);
    const follower = await issuer(leader);
    const d = double!;
    d.create(webhookConfiguration());
    await follower.reconcile();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      d.requests.filter((r) => r.path.includes('/secrets') || r.path.includes('mutatingwebhook')),
      [],
      'no request from a follower',
    );
    assert.equal(secretData(d, 'kxds-ca'), undefined);
    leader.next(true); // the started issuer checks at once when it becomes the leader
    await waitFor(
      'the new leader issued and set the caBundle',
      () => LEAVES.every((name) => secretData(d, name)) && caBundles(d)[0] !== '',
    );
    assert.equal(caBundles(d)[0], secretData(d, 'kxds-ca')?.['ca.crt']);
  });

  test('a Secret someone else made is left alone; the rest is issued', async () => {
    const kxds = await issuer(new BehaviorSubject(true));
    const d = double!;
    const theirs = { 'tls.crt': 'dGhlaXJz', 'tls.key': 'dGhlaXJz', 'ca.crt': 'dGhlaXJz' };
    d.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kxds-edge-tls', namespace: 'kxds' },
      type: 'kubernetes.io/tls',
      data: theirs,
    });
    await kxds.reconcile();
    assert.deepEqual(d.get('v1', 'Secret', 'kxds-edge-tls', 'kxds')?.['data'], theirs);
    assert.ok(secretData(d, 'kxds-server-tls'), 'the others are issued');
  });

  test("each sidecar namespace gets its own identity's Secret, a new one at the next build", async () => {
    let namespaces = ['demo', 'shop'];
    const changes$ = new Subject<void>();
    const kxds = await issuer(new BehaviorSubject(true), undefined, {
      namespaces: () => namespaces,
      changes$,
    });
    const d = double!;
    await kxds.reconcile();
    const sidecarCert = (ns: string) => {
      const data = d.get('v1', 'Secret', 'kxds-sidecar-tls', ns)?.['data'] as
        Record<string, string> | undefined;
      return data && new X509Certificate(decode(data['tls.crt']));
    };
    const ca = new X509Certificate(secretData(d, 'kxds-ca')?.['tls.crt'] ?? '');
    for (const ns of namespaces) {
      assert.equal(sidecarCert(ns)?.subjectAltName, `URI:spiffe://cluster.local/ns/${ns}/sa/kxds-sidecar`);
      assert.ok(sidecarCert(ns)?.verify(ca.publicKey), `${ns}'s certificate is signed by the CA`);
    }
    const before = writes(d);
    changes$.next(); // a build that names no new namespace: nothing is read or written
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(writes(d), before);
    namespaces = [...namespaces, 'new-app'];
    changes$.next();
    await waitFor('the new namespace has its Secret', () => sidecarCert('new-app') !== undefined);
    assert.equal(
      sidecarCert('new-app')?.subjectAltName,
      'URI:spiffe://cluster.local/ns/new-app/sa/kxds-sidecar',
    );
  });
});
