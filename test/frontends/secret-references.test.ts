// referencedSecrets: exactly the Secrets the served objects name, so the Kubernetes source reads those and no
// others. Each case adds one reference kxds would use and one it must not follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrom } from '../../src/model/store';
import type { WatchedObject } from '../../src/model/k8s';
import { referencedSecrets } from '../../src/frontends/secret-references';
import { gateway, kxdsClass } from './gateway/objects';

const GW = 'gateway.networking.k8s.io/v1';

function ingress(
  name: string,
  options: { className?: string; tls?: string[]; annotations?: Record<string, string> } = {},
): WatchedObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace: 'shop', name, annotations: options.annotations ?? {} },
    spec: {
      ingressClassName: options.className ?? 'kxds',
      tls: (options.tls ?? []).map((secretName) => ({ hosts: [`${name}.example.com`], secretName })),
    },
  };
}

const names = (objects: WatchedObject[], options = {}): string[] =>
  referencedSecrets(modelFrom(objects), options).map((ref) => `${ref.namespace}/${ref.name}`);

test('served Ingresses: TLS Secrets and the basic-auth Secret; other classes are never followed', () => {
  const auth = {
    'nginx.ingress.kubernetes.io/auth-type': 'basic',
    'nginx.ingress.kubernetes.io/auth-secret': 'users',
  };
  assert.deepEqual(
    names([
      ingress('web', { tls: ['web-tls', 'web-tls'], annotations: auth }),
      ingress('other', { className: 'nginx', tls: ['nginx-tls'], annotations: auth }),
    ]),
    ['shop/users', 'shop/web-tls'],
  );
});

test("basic auth: another namespace's Secret is not read (translation refuses it too)", () => {
  const annotations = { 'kxds.io/auth-type': 'basic', 'kxds.io/auth-secret': 'kube-system/admins' };
  assert.deepEqual(names([ingress('web', { annotations })]), []);
  const own = { 'kxds.io/auth-type': 'basic', 'kxds.io/auth-secret': 'shop/admins' };
  assert.deepEqual(names([ingress('web', { annotations: own })]), ['shop/admins']);
  const notBasic = { 'kxds.io/auth-type': 'digest', 'kxds.io/auth-secret': 'admins' };
  assert.deepEqual(names([ingress('web', { annotations: notBasic })]), []);
});

test("client certificates: the auth-tls-secret CA Secret, never another namespace's, not when verification is off", () => {
  const ca = (secret: string, verify?: string) => ({
    'nginx.ingress.kubernetes.io/auth-tls-secret': secret,
    ...(verify ? { 'nginx.ingress.kubernetes.io/auth-tls-verify-client': verify } : {}),
  });
  assert.deepEqual(names([ingress('web', { annotations: ca('shop/client-ca') })]), ['shop/client-ca']);
  assert.deepEqual(names([ingress('web', { annotations: { 'kxds.io/auth-tls-secret': 'ca' } })]), [
    'shop/ca',
  ]);
  assert.deepEqual(names([ingress('web', { annotations: ca('kube-system/ca') })]), []);
  assert.deepEqual(names([ingress('web', { annotations: ca('client-ca', 'off') })]), []);
  assert.deepEqual(names([ingress('web', { className: 'nginx', annotations: ca('client-ca') })]), []);
});

test('the default certificate is read whatever else exists', () => {
  assert.deepEqual(names([], { defaultCertificate: 'kxds/fallback' }), ['kxds/fallback']);
});

test('an Ingress class named by --ingress-class', () => {
  assert.deepEqual(names([ingress('web', { className: 'edge', tls: ['t'] })], { ingressClass: 'edge' }), [
    'shop/t',
  ]);
  assert.deepEqual(names([ingress('web', { className: 'edge', tls: ['t'] })]), []);
});

const https = (name: string, refs: Record<string, unknown>[], mode = 'Terminate') => ({
  name,
  protocol: 'HTTPS',
  port: 443,
  tls: { mode, certificateRefs: refs },
});

test('Gateways of our classes: certificateRefs to core Secrets, cross-namespace only with a grant', () => {
  const gw = gateway([
    https('a', [
      { name: 'own-tls' },
      { name: 'shared', namespace: 'certs' },
      { name: 'denied', namespace: 'vault' },
    ]),
    https('b', [
      { name: 'cm', kind: 'ConfigMap' },
      { name: 'x', group: 'example.com', kind: 'Secret' },
    ]),
    https('c', [{ name: 'passthrough-tls' }], 'Passthrough'),
  ]);
  const grant: WatchedObject = {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { namespace: 'certs', name: 'from-infra' },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }],
      to: [{ group: '', kind: 'Secret' }],
    },
  };
  assert.deepEqual(names([kxdsClass(), gw, grant]), ['certs/shared', 'infra/own-tls']);
  assert.deepEqual(names([kxdsClass(), gw]), ['infra/own-tls'], 'no grant: the other namespace is not read');
  const foreignClass: WatchedObject = {
    apiVersion: GW,
    kind: 'GatewayClass',
    metadata: { name: 'kxds' },
    spec: { controllerName: 'example.com/other' },
  };
  assert.deepEqual(names([foreignClass, gw, grant]), [], "another controller's Gateway");
});

test("an attached ListenerSet's certificates are read; a ListenerSet the Gateway does not allow is not", () => {
  const listenerSet = (namespace: string): WatchedObject => ({
    apiVersion: GW,
    kind: 'ListenerSet',
    metadata: { namespace, name: 'extra' },
    spec: { parentRef: { name: 'web', namespace: 'infra' }, listeners: [https('x', [{ name: 'set-tls' }])] },
  });
  const gw = gateway([]);
  (gw as unknown as { spec: Record<string, unknown> }).spec['allowedListeners'] = {
    namespaces: { from: 'Same' },
  };
  assert.deepEqual(names([kxdsClass(), gw, listenerSet('infra'), listenerSet('team')]), ['infra/set-tls']);
});
