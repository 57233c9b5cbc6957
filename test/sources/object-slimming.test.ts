// What the source keeps of an object: kind/apiVersion filled in, bulky fields nobody reads dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slimObject } from '../../src/sources/object-slimming';

test('fills in kind and apiVersion, drops managedFields and the last-applied annotation', () => {
  const raw = {
    metadata: {
      name: 'web',
      namespace: 'default',
      resourceVersion: '7',
      managedFields: [{ manager: 'kubectl' }],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'kxds.io/timeout': '5s' },
    },
    spec: { ports: [{ port: 80 }] },
  };
  const slim = slimObject(raw, 'Service', 'v1');
  assert.deepEqual(slim, {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      name: 'web',
      namespace: 'default',
      resourceVersion: '7',
      annotations: { 'kxds.io/timeout': '5s' },
    },
    spec: { ports: [{ port: 80 }] },
  });
  assert.equal(slim, raw, 'changed in place, so the informer cache holds the slim object too');
});

test('a Pod keeps only what sidecars and proxyless clients need', () => {
  const pod = slimObject(
    {
      metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, annotations: { a: 'b' } },
      spec: {
        serviceAccountName: 'web',
        nodeName: 'node-1',
        hostNetwork: false,
        volumes: [{ name: 'data', emptyDir: {} }],
        containers: [
          { name: 'app', image: 'web:1', env: [{ name: 'X', value: 'y' }], ports: [{ containerPort: 8080 }] },
        ],
        tolerations: [{ key: 'k' }],
      },
      status: {
        phase: 'Running',
        podIP: '10.1.0.5',
        podIPs: [{ ip: '10.1.0.5' }],
        hostIP: '192.168.0.2',
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: 'x' },
          { type: 'Ready', status: 'True', lastTransitionTime: 'x' },
        ],
        containerStatuses: [{ name: 'app', imageID: 'sha256:...' }],
      },
    },
    'Pod',
    'v1',
  );
  assert.deepEqual(pod, {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, annotations: { a: 'b' } },
    spec: {
      hostNetwork: false,
      serviceAccountName: 'web',
      nodeName: 'node-1',
      containers: [{ name: 'app', ports: [{ containerPort: 8080 }] }],
    },
    status: {
      phase: 'Running',
      podIP: '10.1.0.5',
      podIPs: [{ ip: '10.1.0.5' }],
      hostIP: '192.168.0.2',
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  });
});

test('an object without metadata.name is refused with the kind in the message', () => {
  assert.throws(() => slimObject({ metadata: {} }, 'Service', 'v1'), /Service without metadata.name/);
  assert.throws(() => slimObject(null, 'Pod', 'v1'), /Pod without metadata.name/);
});

test('a ConfigMap keeps only its ca.crt (the BackendTLSPolicy CA bundle); others keep no data', () => {
  const withCa = slimObject(
    {
      metadata: { name: 'ca', namespace: 'team-a' },
      data: { 'ca.crt': 'PEM', 'other.conf': 'x'.repeat(1000) },
      binaryData: { blob: 'AAAA' },
    },
    'ConfigMap',
    'v1',
  );
  assert.deepEqual(withCa, {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'ca', namespace: 'team-a' },
    data: { 'ca.crt': 'PEM' },
  });
  const unrelated = slimObject({ metadata: { name: 'app-config' }, data: { big: 'x' } }, 'ConfigMap', 'v1');
  assert.equal((unrelated as { data?: unknown }).data, undefined);
});

test('a ConfigMap named to be kept (TCP/UDP services) keeps all its data; the same name elsewhere does not', () => {
  const keep = new Set(['ingress/tcp-services']);
  const services = slimObject(
    { metadata: { name: 'tcp-services', namespace: 'ingress' }, data: { '9000': 'default/db:5432' } },
    'ConfigMap',
    'v1',
    keep,
  );
  assert.deepEqual((services as { data?: unknown }).data, { '9000': 'default/db:5432' });
  const elsewhere = slimObject(
    { metadata: { name: 'tcp-services', namespace: 'other' }, data: { '9000': 'default/db:5432' } },
    'ConfigMap',
    'v1',
    keep,
  );
  assert.equal((elsewhere as { data?: unknown }).data, undefined);
});

test('a Gateway API object keeps spec and status (the status writer compares against it)', () => {
  const route = slimObject(
    {
      metadata: { name: 'r', namespace: 'a', managedFields: [{ manager: 'kubectl' }] },
      spec: { parentRefs: [{ name: 'edge' }] },
      status: { parents: [] },
    },
    'HTTPRoute',
    'gateway.networking.k8s.io/v1',
  );
  assert.deepEqual(route, {
    kind: 'HTTPRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
    metadata: { name: 'r', namespace: 'a' },
    spec: { parentRefs: [{ name: 'edge' }] },
    status: { parents: [] },
  });
});

test('a CRD keeps its group, kind and bundle-version annotation, never its schemas', () => {
  const raw = {
    metadata: {
      name: 'httproutes.gateway.networking.k8s.io',
      resourceVersion: '3',
      annotations: {
        'gateway.networking.k8s.io/bundle-version': 'v1.6.1',
        'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/3328',
      },
    },
    spec: {
      group: 'gateway.networking.k8s.io',
      names: { kind: 'HTTPRoute', plural: 'httproutes', listKind: 'HTTPRouteList' },
      versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object' } } }],
    },
    status: { storedVersions: ['v1'] },
  };
  assert.deepEqual(slimObject(raw, 'CustomResourceDefinition', 'apiextensions.k8s.io/v1'), {
    kind: 'CustomResourceDefinition',
    apiVersion: 'apiextensions.k8s.io/v1',
    metadata: {
      name: 'httproutes.gateway.networking.k8s.io',
      resourceVersion: '3',
      annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.6.1' },
    },
    spec: { group: 'gateway.networking.k8s.io', names: { kind: 'HTTPRoute', plural: 'httproutes' } },
  });
});
