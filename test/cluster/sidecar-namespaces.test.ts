// Which namespaces get a sidecar certificate from the in-cluster issuer: labelled namespaces, and those of
// pods that opt in or were injected; never kxds's own, nor a namespace whose pods opt out or say nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sidecarNamespaces } from '../../src/cluster/sidecar-namespaces';
import type { WatchedObject } from '../../src/model/k8s';
import { ModelStore } from '../../src/model/store';

const namespace = (name: string, labels?: Record<string, string>) =>
  ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(labels ? { labels } : {}) },
  }) as WatchedObject;
const pod = (
  ns: string,
  name: string,
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> },
) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, ...metadata },
    spec: { containers: [] },
  }) as WatchedObject;

test('labelled namespaces and the namespaces of opted-in or injected pods, not kxds own', () => {
  const store = new ModelStore();
  for (const obj of [
    namespace('mesh', { 'kxds.io/inject': 'enabled' }),
    namespace('kxds', { 'kxds.io/inject': 'enabled' }),
    namespace('plain'),
    namespace('off', { 'kxds.io/inject': 'disabled' }),
    pod('demo', 'client', { labels: { 'kxds.io/inject': 'true' } }),
    pod('shop', 'cart', { annotations: { 'kxds.io/status': '{}' } }),
    pod('plain', 'web', { labels: { app: 'web' } }),
    pod('other', 'job', { labels: { 'kxds.io/inject': 'false' } }),
  ])
    store.upsert(obj);
  assert.deepEqual(sidecarNamespaces(store, 'kxds'), ['demo', 'mesh', 'shop']);
});
