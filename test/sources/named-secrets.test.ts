// The Kubernetes source reads exactly the Secrets served objects reference (the real collector of
// src/frontends/secret-references.ts), each by name, against the API server double: an Opaque basic-auth
// Secret is seen, an unreferenced one is never asked for, the set follows Ingress changes, and the initial
// `synced` waits for the referenced Secrets.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { secretInterest } from '../../src/frontends/secret-references';
import type { KubeSource } from '../../src/sources/kube-source';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import type { StoredObject } from '../k8s-double/selectors';
import {
  ingress,
  namespace,
  opaqueSecret,
  startDouble,
  startSource,
  tlsSecret,
  waitFor,
} from './kube-harness';

let double: ApiServerDouble | undefined;
let source: KubeSource | undefined;

afterEach(async () => {
  await source?.stop();
  await double?.stop();
  source = undefined;
  double = undefined;
});

function securedIngress(name: string, tls: string[], authSecret?: string): StoredObject {
  const base = ingress(name);
  return {
    ...base,
    metadata: {
      ...base.metadata,
      annotations: authSecret
        ? {
            'nginx.ingress.kubernetes.io/auth-type': 'basic',
            'nginx.ingress.kubernetes.io/auth-secret': authSecret,
          }
        : {},
    },
    spec: { ...(base['spec'] as object), tls: tls.map((secretName) => ({ secretName })) },
  };
}

const secretRequests = (d: ApiServerDouble) =>
  d.requests
    .filter((r) => r.path.endsWith('/secrets'))
    .map((r) => `${r.path}?${r.query['fieldSelector'] ?? ''}`);

test('reads the referenced Secrets (TLS and Opaque) by name, follows the Ingresses, never reads the rest', async () => {
  const started = await startDouble();
  double = started.double;
  double.create(namespace('default'));
  double.create(securedIngress('web', ['web-tls'], 'users'));
  double.create(tlsSecret('web-tls'));
  double.create({ ...opaqueSecret('users'), data: { auth: 'dXNlcjp7U0hBfXg=' } });
  double.create(opaqueSecret('db-password'));
  double.create(tlsSecret('unrelated-tls'));
  const s = await startSource(started.kubeconfigPath, {
    kinds: ['Ingress', 'IngressClass', 'Namespace', 'Secret'],
    secretReferences: secretInterest({}),
  });
  source = s.source;
  await waitFor('synced', () => s.recorder.syncedCount === 1);
  const beforeSync = s.recorder.log.slice(0, s.recorder.log.indexOf('synced'));
  for (const key of ['Secret default/web-tls', 'Secret default/users'])
    assert.ok(
      beforeSync.some((l) => l.startsWith(`upsert ${key}@`)),
      `${key} before synced`,
    );
  assert.deepEqual(source.secretsRead, ['default/users', 'default/web-tls']);

  // The Ingress drops its certificate and names another, not created yet.
  const current = double.get('networking.k8s.io/v1', 'Ingress', 'web', 'default');
  assert.ok(current);
  double.update({ ...securedIngress('web', ['late-tls'], 'users'), metadata: current.metadata });
  await waitFor('web-tls withdrawn', () => !s.recorder.state().has('Secret default/web-tls'));
  assert.ok(s.recorder.log.some((l) => l.startsWith('delete Secret default/web-tls@')));
  const late = double.create(tlsSecret('late-tls'));
  await waitFor(
    'late-tls read',
    () => s.recorder.state().get('Secret default/late-tls') === late.metadata.resourceVersion,
  );
  assert.deepEqual(source.secretsRead, ['default/late-tls', 'default/users']);

  for (const request of secretRequests(double))
    assert.match(
      request,
      /^\/api\/v1\/namespaces\/default\/secrets\?metadata\.name=(web-tls|users|late-tls)$/,
    );
  assert.ok(!s.recorder.log.some((l) => /db-password|unrelated-tls/.test(l)));
});

test('an Ingress of another class makes nothing read; with no reference, synced comes at once', async () => {
  const started = await startDouble();
  double = started.double;
  double.create(ingress('other', 'default', 'nginx'));
  const foreign = ingress('other-tls', 'default', 'nginx');
  double.create({ ...foreign, spec: { ingressClassName: 'nginx', tls: [{ secretName: 'web-tls' }] } });
  double.create(tlsSecret('web-tls'));
  const s = await startSource(started.kubeconfigPath, {
    kinds: ['Ingress', 'IngressClass', 'Secret'],
    secretReferences: secretInterest({}),
  });
  source = s.source;
  await waitFor('synced', () => s.recorder.syncedCount === 1);
  assert.deepEqual(source.secretsRead, []);
  assert.deepEqual(secretRequests(double), []);
});

test('RBAC naming only some Secrets (Roles with resourceNames): those are read, a forbidden one counts as missing', async () => {
  const started = await startDouble();
  double = started.double;
  const allowed = new Set(['default/web-tls']);
  double.authorize = (a) =>
    a.resource !== 'secrets' || (a.name !== undefined && allowed.has(`${a.namespace ?? ''}/${a.name}`));
  double.create(securedIngress('web', ['web-tls', 'vault-tls']));
  double.create(tlsSecret('web-tls'));
  double.create(tlsSecret('vault-tls'));
  const s = await startSource(started.kubeconfigPath, {
    kinds: ['Ingress', 'IngressClass', 'Secret'],
    secretReferences: secretInterest({}),
  });
  source = s.source;
  await waitFor('synced despite the forbidden Secret', () => s.recorder.syncedCount === 1);
  assert.ok(s.recorder.state().has('Secret default/web-tls'));
  assert.ok(!s.recorder.state().has('Secret default/vault-tls'));
  assert.ok(
    double.requests.some((r) => r.status === 403 && r.query['fieldSelector'] === 'metadata.name=vault-tls'),
    'the forbidden Secret was asked for by name and refused',
  );
  // The same authorizer refuses what a cluster-wide Secret informer would send.
  const refused = await fetch(`${double.url}/api/v1/namespaces/default/secrets`);
  assert.equal(refused.status, 403);
  // Granting it later (the Role gains the name) is picked up by the informer's retries.
  allowed.add('default/vault-tls');
  await waitFor(
    'vault-tls read once allowed',
    () => s.recorder.state().has('Secret default/vault-tls'),
    15_000,
  );
});
