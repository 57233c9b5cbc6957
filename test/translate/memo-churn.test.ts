// The translation memos belong to a Translator (one per pipeline) and hold only what the current model
// references: 10,000 Services that come and go leave the memos at their earlier size, while an unchanged
// Service keeps giving back the very same built objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelStore } from '../../src/model/store';
import { Translator, GROUP_PROXYLESS } from '../../src/translate/translate';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { proxylessGroup, sidecarGroup } from '../../src/xds/node-group';

const GROUPS = {
  requestedGroups: [proxylessGroup('grpc-js'), sidecarGroup('demo', true)],
};
const grpcService = (name: string) =>
  service('demo', name, [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }]);
const slice = (name: string, ip: string) =>
  endpointSlice('demo', name, `${name}-1`, [{ name: 'grpc', port: 9000 }], [{ ip }]);

test('churn 10,000 names, then delete them: the memos return to their earlier size', () => {
  const store = new ModelStore();
  store.upsert(grpcService('greeter'));
  store.upsert(slice('greeter', '10.0.0.1'));
  const translator = new Translator();
  const first = translator.translate(store, GROUPS);
  const before = translator.memoSize();
  assert.ok(before > 0);

  const names = Array.from({ length: 10_000 }, (_, i) => `churn-${i}`);
  for (const [i, name] of names.entries()) {
    store.upsert(grpcService(name));
    store.upsert(slice(name, `10.1.${Math.floor(i / 250)}.${i % 250}`));
  }
  translator.translate(store, GROUPS);
  assert.ok(translator.memoSize() > before + 10_000, `grew to ${translator.memoSize()}`);

  for (const name of names) {
    store.delete(slice(name, ''));
    store.delete(grpcService(name));
  }
  const last = translator.translate(store, GROUPS);
  assert.equal(translator.memoSize(), before);
  // What stayed is still memoized: the unchanged Service's objects are the very same ones.
  const cluster = (r: typeof first) => r.groups.get(GROUP_PROXYLESS)?.cluster.get('demo/greeter/50051');
  assert.ok(cluster(first));
  assert.equal(cluster(last), cluster(first));
});

test('two translators share nothing', () => {
  const store = new ModelStore();
  store.upsert(grpcService('greeter'));
  const a = new Translator();
  const b = new Translator();
  a.translate(store);
  assert.equal(b.memoSize(), 0);
  assert.notEqual(
    a.translate(store).groups.get(GROUP_PROXYLESS)?.cluster.get('demo/greeter/50051'),
    b.translate(store).groups.get(GROUP_PROXYLESS)?.cluster.get('demo/greeter/50051'),
  );
});
