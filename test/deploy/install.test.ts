// Installing without local keys: k8s/ and its dev and cert-manager overlays render on a fresh clone (no
// `make certs`) with no key material in them; the images are set in one place and reach the pods kxds injects;
// `make release` writes one dist/install.yaml that parses; the local-certs overlay turns `make certs` output
// into the same Secrets and the webhook caBundle; cert-manager's Certificates make every Secret the pods mount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { issuerSecretNames } from '../../src/certs/in-cluster-secrets';
import { serviceDnsNames } from '../../src/certs/xds-certificates';
import { certificateUris } from '../../src/server/identity';
import { REPO, find, k8sCleanCheckout, k8sWithCertificates, kustomize, type K8sObject } from './render';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked by field name */
const spec = (o: K8sObject): any => (o as any).spec;
const container = (objects: K8sObject[], deployment: string, name: string): any =>
  spec(find(objects, 'Deployment', deployment)).template.spec.containers.find((c: any) => c.name === name);
const env = (c: any, name: string): string | undefined => c.env?.find((e: any) => e.name === name)?.value;

const SETTINGS = { namespace: 'kxds', service: 'kxds', trustDomain: 'cluster.local' };
const NO_KEYS = [
  /PRIVATE KEY/,
  /LS0tLS1CRUdJTi/ /* base64 of "-----BEGIN" */,
  /"tls\.key":/ /* a Secret data key, not a path */,
];
const issuerObjects = (objects: K8sObject[]) =>
  objects.filter((o) => o.metadata.name === 'kxds-certificates').map((o) => o.kind);

function keyMaterial(objects: K8sObject[]): string[] {
  const text = JSON.stringify(objects);
  return NO_KEYS.filter((pattern) => pattern.test(text)).map(String);
}

const cleanRenders = (): [string, K8sObject[]][] =>
  ['', 'overlays/dev', 'overlays/cert-manager'].map((sub) => [
    `k8s/${sub}`,
    kustomize(path.join(k8sCleanCheckout(), sub)),
  ]);

test('k8s/ and the dev and cert-manager overlays render on a fresh clone, without key material', () => {
  for (const [name, objects] of cleanRenders()) {
    assert.ok(
      objects.some((o) => o.kind === 'Deployment'),
      `${name} installs kxds`,
    );
    assert.deepEqual(keyMaterial(objects), [], `${name} carries no key`);
    assert.deepEqual(
      objects.filter((o) => o.kind === 'Secret'),
      [],
      name,
    );
  }
  assert.deepEqual(keyMaterial([{ kind: 'x', data: 'LS0tLS1CRUdJTiBQUklWQVRF' } as never]).length, 1);
});

test('the images are set once and handed on to the pods kxds injects', () => {
  for (const [name, objects] of cleanRenders()) {
    const kxds = container(objects, 'kxds', 'kxds');
    assert.equal(env(kxds, 'KXDS_KXDS_IMAGE'), kxds.image, `${name}: the bootstrap init container's image`);
    assert.equal(env(kxds, 'KXDS_ENVOY_IMAGE'), container(objects, 'kxds-edge', 'envoy').image, name);
    assert.equal(
      env(kxds, 'KXDS_GATEWAY_ENVOY_IMAGE'),
      env(kxds, 'KXDS_ENVOY_IMAGE'),
      `${name}: Gateways' Envoy`,
    );
    assert.ok(!kxds.args.some((a: string) => /^--(kxds|envoy)-image/.test(a)), `${name}: not in args`);
  }
});

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function release(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('make', ['--no-print-directory', 'release', ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('make release refuses images by tag (they can be moved), unless ALLOW_TAG=1', () => {
  const byTag = release('IMAGE=registry.example/kxds:1.0');
  assert.notEqual(byTag.status, 0);
  assert.match(byTag.stderr, /IMAGE=registry\.example\/kxds:1\.0 names a tag.*\n.*REPO@sha256:DIGEST/);
  const envoyByTag = release(`IMAGE=registry.example/kxds@${DIGEST}`);
  assert.notEqual(envoyByTag.status, 0);
  assert.match(envoyByTag.stderr, /ENVOY_IMAGE=envoyproxy\/envoy:v[\d.]+ names a tag/);
  const badDigest = release('IMAGE=registry.example/kxds@sha256:abc');
  assert.match(badDigest.stderr, /64 lowercase hex digits/);
  assert.equal(release('IMAGE=registry.example/kxds:1.0', 'ALLOW_TAG=1').status, 0);
});

test('make release writes dist/install.yaml with the images given by digest, and says where', () => {
  const image = `registry.example:5000/team/kxds@${DIGEST}`;
  const envoy = `registry.example/envoy@${DIGEST}`;
  const run = release(`IMAGE=${image}`, `ENVOY_IMAGE=${envoy}`);
  assert.equal(run.status, 0, run.stderr);
  const out = run.stdout;
  const file = path.join(REPO, 'dist', 'install.yaml');
  assert.match(out, new RegExp(`wrote ${file.replace(/[.]/g, '\\.')}`));
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  assert.deepEqual(
    docs.flatMap((d) => d.errors.map((e) => e.message)),
    [],
    'parses as YAML',
  );
  const objects = docs.map((d) => d.toJS() as K8sObject);
  const kxds = container(objects, 'kxds', 'kxds');
  assert.deepEqual([kxds.image, env(kxds, 'KXDS_KXDS_IMAGE')], [image, image]);
  assert.deepEqual(
    [
      container(objects, 'kxds-edge', 'envoy').image,
      env(kxds, 'KXDS_ENVOY_IMAGE'),
      env(kxds, 'KXDS_GATEWAY_ENVOY_IMAGE'),
    ],
    [envoy, envoy, envoy],
  );
  assert.deepEqual(keyMaterial(objects), []);
  const installed = kustomize(k8sCleanCheckout()).map((o) => `${o.kind}/${o.metadata.name}`);
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    installed,
    'what kubectl apply -k k8s/ installs',
  );
});

test('local-certs: make certs output becomes the Secrets and the caBundle; kxds issues nothing', async () => {
  const objects = kustomize(path.join(await k8sWithCertificates(), 'overlays', 'local-certs'));
  const secret = (prefix: string): any =>
    objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith(`${prefix}-`));
  const edge = secret('kxds-edge-tls');
  const edgeCert = new crypto.X509Certificate(Buffer.from(edge.data['tls.crt'], 'base64'));
  assert.deepEqual(certificateUris(edgeCert.raw), ['spiffe://cluster.local/ns/kxds/sa/kxds-edge']);
  const volumes = spec(find(objects, 'Deployment', 'kxds')).template.spec.volumes;
  assert.deepEqual(
    volumes.map((v: any) => v.secret.secretName),
    [secret('kxds-server-tls').metadata.name, secret('kxds-webhook-tls').metadata.name],
    'the pods mount the generated Secrets (a hash suffix rolls them on change)',
  );
  const mwc = find(objects, 'MutatingWebhookConfiguration', 'kxds-sidecar-injector') as any;
  for (const webhook of mwc.webhooks)
    assert.equal(webhook.clientConfig.caBundle, secret('kxds-webhook-tls').data['ca.crt']);
  assert.equal(container(objects, 'kxds', 'kxds').args.at(-1), '--no-issue-certificates');
  assert.deepEqual(issuerObjects(objects), []);
});

test("cert-manager: its Certificates make every Secret the pods mount, with kxds's names and identities", () => {
  const objects = kustomize(path.join(k8sCleanCheckout(), 'overlays', 'cert-manager'));
  const certificates = objects.filter((o) => o.kind === 'Certificate');
  const bySecret = new Map(certificates.map((c) => [spec(c).secretName as string, spec(c)]));
  assert.deepEqual([...bySecret.keys()].sort(), issuerSecretNames(SETTINGS).sort());
  const mounted = objects
    .filter((o) => o.kind === 'Deployment')
    .flatMap((d) =>
      spec(d)
        .template.spec.volumes.filter((v: any) => v.secret)
        .map((v: any) => v.secret.secretName),
    );
  for (const name of mounted) assert.ok(bySecret.has(name), `Secret ${name} comes from a Certificate`);

  const hosts = serviceDnsNames('kxds', 'kxds');
  for (const name of ['kxds-server-tls', 'kxds-webhook-tls']) {
    assert.deepEqual(bySecret.get(name).dnsNames, hosts, name);
    assert.ok(bySecret.get(name).usages.includes('server auth'), name);
  }
  for (const [name, account] of [
    ['kxds-edge-tls', 'kxds-edge'],
    ['kxds-operator-tls', 'kxds-operator'],
  ] as const) {
    assert.deepEqual(bySecret.get(name).uris, [`spiffe://cluster.local/ns/kxds/sa/${account}`], name);
    assert.ok(bySecret.get(name).usages.includes('client auth'), name);
  }
  assert.equal(bySecret.get('kxds-ca').isCA, true);
  const caIssuer = find(objects, 'Issuer', 'kxds-ca');
  assert.equal(spec(caIssuer).ca.secretName, 'kxds-ca');
  for (const [secretName, cert] of bySecret)
    if (secretName !== 'kxds-ca') assert.equal(cert.issuerRef.name, 'kxds-ca', secretName);

  const mwc = find(objects, 'MutatingWebhookConfiguration', 'kxds-sidecar-injector');
  assert.equal((mwc.metadata as any).annotations['cert-manager.io/inject-ca-from'], 'kxds/kxds-webhook-tls');
  assert.equal(container(objects, 'kxds', 'kxds').args.at(-1), '--no-issue-certificates');
  assert.deepEqual(issuerObjects(objects), []);
});
