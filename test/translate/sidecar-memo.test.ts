// A sidecar build that changes nothing builds nothing: the sidecar view hands the back-end the same IR
// objects while their inputs are unchanged and the back-end keys on them, so every listener, route
// configuration, cluster and CLA is the very object of the previous build (the snapshot then neither
// re-encodes nor re-hashes it), clusters are one object for every group of a capture mode, and an endpoint
// change rebuilds only that Service's CLA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelStore } from '../../src/model/store';
import { Translator } from '../../src/translate/translate';
import type { ResourceKind, ResourceSet } from '../../src/xds/types';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { sidecarGroup } from '../../src/xds/node-group';

const GROUPS = ['a', 'b'].flatMap((ns) => [sidecarGroup(ns, false), sidecarGroup(ns, true)]);
const KINDS: readonly ResourceKind[] = ['listener', 'route', 'cluster', 'endpoint'];

function model(webIp: string): ModelStore {
  const store = new ModelStore();
  store.upsert(service('a', 'web', [{ name: 'http', port: 80 }], { clusterIP: '10.96.0.1' }));
  store.upsert(endpointSlice('a', 'web', 'web-1', [{ name: 'http', port: 8080 }], [{ ip: webIp }]));
  store.upsert(service('b', 'db', [{ name: 'db', port: 5432 }], { clusterIP: '10.96.0.2' }));
  store.upsert(endpointSlice('b', 'db', 'db-1', [{ name: 'db', port: 5432 }], [{ ip: '10.1.0.2' }]));
  return store;
}

function changed(before: ResourceSet, after: ResourceSet): string[] {
  return KINDS.flatMap((kind) =>
    [...after[kind].keys()]
      .filter((name) => after[kind].get(name) !== before[kind].get(name))
      .map((n) => `${kind} ${n}`),
  );
}

test('an unchanged model gives every sidecar group the same objects; clusters are shared per mode', () => {
  const store = model('10.1.0.1');
  const translator = new Translator();
  const first = translator.translate(store, { requestedGroups: GROUPS });
  const second = translator.translate(store, { requestedGroups: GROUPS });
  for (const key of ['sidecar/a', 'sidecar/b', 'sidecar/a/transparent', 'sidecar/b/transparent'])
    assert.deepEqual(
      changed(first.groups.get(key) as ResourceSet, second.groups.get(key) as ResourceSet),
      [],
      key,
    );
  const cluster = (key: string) => first.groups.get(key)?.cluster.get('b/db/5432');
  assert.ok(cluster('sidecar/a') && cluster('sidecar/a') === cluster('sidecar/b'), 'explicit groups share');
  assert.ok(
    cluster('sidecar/a/transparent') === cluster('sidecar/b/transparent'),
    'transparent groups share',
  );
  assert.notEqual(cluster('sidecar/a'), cluster('sidecar/a/transparent'), 'a TCP port differs by mode');
});

test("an endpoint change rebuilds that Service's CLA only", () => {
  const store = model('10.1.0.1');
  const translator = new Translator();
  const first = translator.translate(store, { requestedGroups: GROUPS });
  store.upsert(endpointSlice('a', 'web', 'web-1', [{ name: 'http', port: 8080 }], [{ ip: '10.1.0.9' }]));
  const second = translator.translate(store, { requestedGroups: GROUPS });
  for (const key of ['sidecar/b', 'sidecar/b/transparent'])
    assert.deepEqual(
      changed(first.groups.get(key) as ResourceSet, second.groups.get(key) as ResourceSet),
      ['endpoint a/web/80'],
      key,
    );
});
