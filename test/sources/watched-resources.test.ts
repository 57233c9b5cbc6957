// Which informers kxds runs and what they request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  collectionPath,
  informerScopes,
  watchedResource,
  WATCHED_RESOURCES,
} from '../../src/sources/watched-resources';
import { GATEWAY_API_CRD_NAMES } from '../../src/model/gateway-api';
import { namedSecretScope } from '../../src/sources/named-secrets';

test('collection paths for core and grouped resources, namespaced or not', () => {
  assert.equal(collectionPath(watchedResource('Service')), '/api/v1/services');
  assert.equal(collectionPath(watchedResource('Service'), 'a'), '/api/v1/namespaces/a/services');
  assert.equal(
    collectionPath(watchedResource('EndpointSlice'), 'a'),
    '/apis/discovery.k8s.io/v1/namespaces/a/endpointslices',
  );
  assert.equal(
    collectionPath(watchedResource('IngressClass'), 'a'),
    '/apis/networking.k8s.io/v1/ingressclasses',
  );
});

test('Gateway API kinds are optional (CRDs), watched at v1; GatewayClass is cluster-scoped', () => {
  const optional = WATCHED_RESOURCES.filter((r) => r.optional);
  assert.equal(optional.length, 10);
  assert.ok(optional.every((r) => r.apiVersion === 'gateway.networking.k8s.io/v1'));
  assert.equal(
    collectionPath(watchedResource('GatewayClass'), 'a'),
    '/apis/gateway.networking.k8s.io/v1/gatewayclasses',
  );
  assert.equal(
    collectionPath(watchedResource('HTTPRoute'), 'a'),
    '/apis/gateway.networking.k8s.io/v1/namespaces/a/httproutes',
  );
  assert.equal(watchedResource('ConfigMap').optional, false);
});

test('a Secret is listed and watched by name in its namespace, never as a collection', () => {
  assert.deepEqual(namedSecretScope({ namespace: 'shop', name: 'web-tls' }), {
    id: 'Secret shop/web-tls',
    resource: watchedResource('Secret'),
    path: '/api/v1/namespaces/shop/secrets',
    fieldSelector: 'metadata.name=web-tls',
  });
});

test('all namespaces: one informer per kind; limited: one per namespace, Namespaces by name', () => {
  assert.deepEqual(
    WATCHED_RESOURCES.flatMap((r) => informerScopes(r, [])).map((s) => s.id),
    [
      'Service',
      'EndpointSlice',
      'Ingress',
      'IngressClass',
      'Secret',
      'Namespace',
      'Pod',
      'ConfigMap',
      ...GATEWAY_API_CRD_NAMES.map((name) => `CustomResourceDefinition ${name}`),
      'GatewayClass',
      'Gateway',
      'ListenerSet',
      'HTTPRoute',
      'GRPCRoute',
      'ReferenceGrant',
      'BackendTLSPolicy',
      'TLSRoute',
      'TCPRoute',
      'UDPRoute',
    ],
  );
  // Secrets are read by name (named-secrets.ts), not through these scopes; CRDs have their own test.
  const limited = WATCHED_RESOURCES.filter(
    (r) =>
      !r.optional && r.kind !== 'ConfigMap' && r.kind !== 'Secret' && r.kind !== 'CustomResourceDefinition',
  ).flatMap((r) => informerScopes(r, ['a', 'b']));
  assert.deepEqual(
    limited.map((s) => `${s.path}?${s.fieldSelector ?? ''}`),
    [
      '/api/v1/namespaces/a/services?',
      '/api/v1/namespaces/b/services?',
      '/apis/discovery.k8s.io/v1/namespaces/a/endpointslices?',
      '/apis/discovery.k8s.io/v1/namespaces/b/endpointslices?',
      '/apis/networking.k8s.io/v1/namespaces/a/ingresses?',
      '/apis/networking.k8s.io/v1/namespaces/b/ingresses?',
      '/apis/networking.k8s.io/v1/ingressclasses?',
      '/api/v1/namespaces?metadata.name=a',
      '/api/v1/namespaces?metadata.name=b',
      '/api/v1/namespaces/a/pods?',
      '/api/v1/namespaces/b/pods?',
    ],
  );
});

test('CRDs: only the Gateway API ones kxds reads, each by name, whatever the namespace scope', () => {
  const crds = watchedResource('CustomResourceDefinition');
  assert.equal(crds.optional, false);
  for (const namespaces of [[], ['a', 'b']]) {
    assert.deepEqual(
      informerScopes(crds, namespaces).map((s) => `${s.path}?${s.fieldSelector ?? ''}`),
      GATEWAY_API_CRD_NAMES.map(
        (name) => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions?metadata.name=${name}`,
      ),
    );
  }
  assert.equal(GATEWAY_API_CRD_NAMES.length, 10);
  assert.ok(GATEWAY_API_CRD_NAMES.includes('httproutes.gateway.networking.k8s.io'));
});
