// The Kubernetes API source against the API server double, with the real @kubernetes/client-node: initial
// sync, changes, dropped watches, compaction and 410, outages, restarts, namespace limits, paging, resync.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { isGatewayApiKind } from '../../src/model/gateway-api';
import type { WatchedKind } from '../../src/model/k8s';
import { createKubeSource, type KubeSource } from '../../src/sources/kube-source';
import { writeKubeconfig } from '../k8s-double/kubeconfig';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import {
  doubleState,
  fixedSecretInterest,
  ingress,
  type EventRecorder,
  namespace,
  opaqueSecret,
  service,
  sleep,
  startDouble,
  startSource,
  tlsSecret,
  waitFor,
} from './kube-harness';

const KINDS = [
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Namespace' },
];

const ALL_KINDS = [
  ...KINDS,
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' },
  { apiVersion: 'v1', kind: 'Pod' },
];

function createOneOfEachKind(double: ApiServerDouble): void {
  double.create(ingress('web'));
  double.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'kxds' },
    spec: { controller: 'kxds.io/ingress' },
  });
  double.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.1.0.5'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080 }],
  });
  double.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'web:1' }] },
    status: { podIP: '10.1.0.5', phase: 'Running' },
  });
}

/** The events are a faithful copy of the double: same keys, same resourceVersions. */
function assertConverged(recorder: EventRecorder, double: ApiServerDouble): void {
  assert.deepEqual(recorder.state(), doubleState(double, KINDS));
}

async function waitConverged(
  recorder: EventRecorder,
  double: ApiServerDouble,
  timeoutMs = 10_000,
): Promise<void> {
  const want = (): string => JSON.stringify([...doubleState(double, KINDS)].sort());
  await waitFor(
    'the source to converge on the double',
    () => JSON.stringify([...recorder.state()].sort()) === want(),
    timeoutMs,
  );
}

function withoutSynced(lines: string[]): string[] {
  return lines.filter((l) => l !== 'synced').sort();
}

test('an invalid namespace name is refused up front, naming it', async () => {
  await assert.rejects(
    createKubeSource({
      kubeconfigPath: writeKubeconfig('http://127.0.0.1:1'),
      namespaces: ['team-a', 'Team_B'],
    }),
    /namespace "Team_B" is not a valid namespace name/,
  );
});

describe('KubeSource', () => {
  let double: ApiServerDouble | undefined;
  let source: KubeSource | undefined;

  afterEach(async () => {
    await source?.stop();
    await double?.stop();
    source = undefined;
    double = undefined;
  });

  async function setup(
    options: Parameters<typeof startSource>[1] & { beforeStart?: (double: ApiServerDouble) => void } = {},
  ) {
    const started = await startDouble();
    double = started.double;
    double.create(namespace('default'));
    double.create(service('web'));
    double.create(service('api'));
    double.create(tlsSecret('web-tls'));
    double.create(opaqueSecret('db-password'));
    const { beforeStart, ...sourceOptions } = options;
    beforeStart?.(started.double);
    const kinds: readonly WatchedKind[] | undefined =
      'kinds' in sourceOptions ? sourceOptions.kinds : ['Service', 'Secret', 'Namespace'];
    const s = await startSource(started.kubeconfigPath, { ...sourceOptions, kinds });
    source = s.source;
    await waitFor('synced', () => s.recorder.syncedCount === 1);
    // Gateway API informers have no watch open: the double serves no Gateway API CRDs.
    const informers = s.source.informerIds.filter((id) => !isGatewayApiKind(id.split(' ')[0] ?? '')).length;
    await waitFor('every watch open', () => started.double.openWatchCount === informers);
    return { double: started.double, source: s.source, recorder: s.recorder };
  }

  test('initial list: every object as an upsert, then exactly one synced; only referenced Secrets are requested, each by name', async () => {
    const { double, recorder } = await setup({ kinds: undefined, beforeStart: createOneOfEachKind });
    const log = recorder.log;
    assert.equal(log[log.length - 1], 'synced');
    assert.equal(recorder.syncedCount, 1);
    assert.deepEqual(recorder.state(), doubleState(double, ALL_KINDS));
    assert.equal(
      recorder.state().size,
      8,
      'one Namespace, two Services, one referenced Secret, one of each other kind',
    );
    for (const event of recorder.events) {
      if (event.type === 'synced') continue;
      const expected = ALL_KINDS.find((k) => k.kind === event.object.kind);
      assert.equal(event.object.apiVersion, expected?.apiVersion, event.object.kind);
    }
    assert.ok(!log.some((l) => l.includes('db-password')), 'an Opaque Secret was emitted');
    assert.deepEqual(double.requestsFor('/api/v1/secrets'), [], 'no cluster-wide Secret list or watch');
    const secretRequests = double.requests.filter((r) => r.path.endsWith('/secrets'));
    assert.ok(secretRequests.length >= 4, 'a list and a watch of each referenced Secret');
    for (const r of secretRequests) {
      assert.equal(r.path, '/api/v1/namespaces/default/secrets');
      assert.match(r.query['fieldSelector'] ?? '', /^metadata\.name=(web-tls|new-tls)$/);
    }
    // Every watched kind was listed once.
    for (const path of [
      '/api/v1/services',
      '/apis/discovery.k8s.io/v1/endpointslices',
      '/apis/networking.k8s.io/v1/ingresses',
      '/apis/networking.k8s.io/v1/ingressclasses',
      '/api/v1/namespaces',
      '/api/v1/pods',
    ]) {
      assert.equal(double.requests.filter((r) => r.path === path && !r.watch).length, 1, path);
    }
  });

  test('emitted objects are plain, with kind and apiVersion, without managedFields', async () => {
    const { double, recorder } = await setup();
    const created = double.create({
      ...service('with-fields'),
      metadata: {
        name: 'with-fields',
        namespace: 'default',
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', keep: 'me' },
      },
    });
    await waitFor('the new Service', () =>
      recorder.log.some((l) => l.startsWith('upsert Service default/with-fields')),
    );
    const event = recorder.events.find(
      (e) => e.type === 'upsert' && e.object.metadata.name === 'with-fields',
    );
    assert.ok(event && event.type === 'upsert');
    assert.equal(event.object.kind, 'Service');
    assert.equal(event.object.apiVersion, 'v1');
    assert.equal(event.object.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal((event.object.metadata as unknown as Record<string, unknown>)['managedFields'], undefined);
    assert.deepEqual(event.object.metadata.annotations, { keep: 'me' });
    // List items lack kind/apiVersion on the wire; the source fills them in.
    const listed = recorder.events.find((e) => e.type === 'upsert' && e.object.metadata.name === 'web');
    assert.ok(listed && listed.type === 'upsert');
    assert.equal(listed.object.kind, 'Service');
    assert.equal(listed.object.apiVersion, 'v1');
  });

  test('create, update and delete arrive as one event each, in order', async () => {
    const { double, recorder } = await setup();
    const mark = recorder.events.length;
    const created = double.create(service('new'));
    const updated = double.update({
      ...created,
      spec: { ...(created['spec'] as object), ports: [{ port: 81 }] },
    });
    const deleted = double.delete(service('api'));
    const secret = double.create(tlsSecret('new-tls'));
    double.create(opaqueSecret('not-for-us'));
    await waitFor('four events', () => recorder.events.length - mark >= 4);
    await sleep(300);
    // Informers run side by side, so order holds within a kind, not across kinds.
    const events = recorder.since(mark);
    assert.deepEqual(
      events.filter((l) => l.includes('Service')),
      [
        `upsert Service default/new@${created.metadata.resourceVersion}`,
        `upsert Service default/new@${updated.metadata.resourceVersion}`,
        `delete Service default/api@${deleted.metadata.resourceVersion}`,
      ],
    );
    assert.deepEqual(
      events.filter((l) => l.includes('Secret')),
      [`upsert Secret default/new-tls@${secret.metadata.resourceVersion}`],
    );
    assertConverged(recorder, double);
  });

  test('all watches dropped: recovers, with changes made meanwhile and no duplicates', async () => {
    const { double, source, recorder } = await setup();
    const mark = recorder.events.length;
    double.dropAllWatches();
    // Before any watch is back: these are only seen through the resumed watches.
    const web = double.get('v1', 'Service', 'web', 'default');
    assert.ok(web);
    const changed = double.update({ ...web, metadata: { ...web.metadata, labels: { app: 'web', v: '2' } } });
    const removed = double.delete(service('api'));
    const added = double.create(service('late'));
    await waitConverged(recorder, double);
    await sleep(300);
    assert.deepEqual(withoutSynced(recorder.since(mark)), [
      `delete Service default/api@${removed.metadata.resourceVersion}`,
      `upsert Service default/late@${added.metadata.resourceVersion}`,
      `upsert Service default/web@${changed.metadata.resourceVersion}`,
    ]);
    assert.equal(recorder.syncedCount, 1);
    assert.ok(source.stats().totals.errors + source.stats().totals.reconnects >= 3, 'each informer noticed');
    assert.ok(double.openWatchCount >= 3, 'the watches are back');
  });

  test('compaction while disconnected: 410 -> relist; vanished objects deleted, only changed ones upserted', async () => {
    const { double, source, recorder } = await setup();
    const mark = recorder.events.length;
    double.dropAllWatches();
    const lastSeen = double.get('v1', 'Service', 'api', 'default');
    double.delete(service('api'));
    const added = double.create(service('late'));
    const secret = double.get('v1', 'Secret', 'web-tls', 'default');
    assert.ok(secret);
    const rotated = double.update({ ...secret, data: { 'tls.crt': 'bmV3', 'tls.key': 'bmV3' } });
    double.compact();
    await waitConverged(recorder, double);
    await sleep(300);
    // "web" and the Namespace did not change: not emitted again. A relist cannot see a deletion, so the
    // delete names the object as last seen.
    assert.deepEqual(withoutSynced(recorder.since(mark)), [
      `delete Service default/api@${lastSeen?.metadata.resourceVersion}`,
      `upsert Secret default/web-tls@${rotated.metadata.resourceVersion}`,
      `upsert Service default/late@${added.metadata.resourceVersion}`,
    ]);
    assert.ok(source.stats().totals.relists >= 2, 'the Service and Secret informers relisted');
    const expired = double.requests.filter((r) => r.watch && r.path === '/api/v1/services');
    assert.ok(expired.length >= 3, 'initial watch, the expired one, the one after the relist');
  });

  test('API server restarted on the same port: informers come back and converge', async () => {
    const { double, recorder } = await setup();
    const mark = recorder.events.length;
    await double.stop();
    const added = double.create(service('while-down'));
    await sleep(300);
    assert.deepEqual(recorder.since(mark), [], 'nothing emitted while the server was away');
    await double.restart();
    await waitConverged(recorder, double);
    assert.deepEqual(withoutSynced(recorder.since(mark)), [
      `upsert Service default/while-down@${added.metadata.resourceVersion}`,
    ]);
  });

  test('bookmarks keep the watch resumable after a compaction: no relist needed', async () => {
    const { double, source, recorder } = await setup({ kinds: ['Service'] });
    const listsBefore = source.stats().totals.lists;
    // Changes elsewhere move the global resourceVersion on; only bookmarks tell the Service watch.
    double.create(namespace('elsewhere'));
    double.create(tlsSecret('elsewhere-tls'));
    const rvAfter = double.store.currentRv;
    await waitFor('a bookmark past the other changes', () => {
      const informer = source.stats().informers['Service'];
      return (informer?.bookmarks ?? 0) >= 2;
    });
    double.compact();
    double.dropAllWatches();
    await waitFor('the Service watch to resume', () =>
      double.requests.some(
        (r) => r.watch && r.path === '/api/v1/services' && Number(r.query['resourceVersion']) >= rvAfter,
      ),
    );
    await sleep(300);
    assert.equal(source.stats().totals.lists, listsBefore, 'resumed from the bookmark instead of relisting');
    assert.equal(recorder.syncedCount, 1);
    for (const r of double.requests.filter((x) => x.watch))
      assert.equal(r.query['allowWatchBookmarks'], 'true');
  });

  test('periodic resync finds a change the watch missed, and re-emits nothing else', async () => {
    const { double, source, recorder } = await setup({ resyncPeriodMs: 400 });
    const mark = recorder.events.length;
    const web = double.get('v1', 'Service', 'web', 'default');
    assert.ok(web);
    const missed = double.update(
      { ...web, metadata: { ...web.metadata, labels: { missed: 'yes' } } },
      { silent: true },
    );
    const lastSeen = double.get('v1', 'Service', 'api', 'default');
    double.delete(service('api'), { silent: true });
    await waitConverged(recorder, double);
    await waitFor('another resync', () => (source.stats().informers['Service']?.resyncs ?? 0) >= 2);
    assert.deepEqual(withoutSynced(recorder.since(mark)), [
      `delete Service default/api@${lastSeen?.metadata.resourceVersion}`,
      `upsert Service default/web@${missed.metadata.resourceVersion}`,
    ]);
  });

  test('lists page through limit/continue', async () => {
    const started = await startDouble();
    double = started.double;
    for (let i = 0; i < 7; i++) double.create(service(`svc-${i}`));
    const s = await startSource(started.kubeconfigPath, { kinds: ['Service'], listPageSize: 3 });
    source = s.source;
    await waitFor('synced', () => s.recorder.syncedCount === 1);
    assert.equal(s.recorder.state().size, 7);
    const lists = double.requests.filter((r) => r.path === '/api/v1/services' && !r.watch);
    assert.deepEqual(
      lists.map((r) => [r.query['limit'], r.query['continue'] !== undefined]),
      [
        ['3', false],
        ['3', true],
        ['3', true],
      ],
    );
  });

  test('namespace limit: one informer per namespace, nothing read outside them', async () => {
    const started = await startDouble();
    double = started.double;
    for (const ns of ['team-a', 'team-b', 'other']) {
      double.create(namespace(ns));
      double.create(service('web', ns));
      double.create(tlsSecret('tls', ns));
    }
    const s = await startSource(started.kubeconfigPath, {
      kinds: ['Service', 'Secret', 'Namespace', 'IngressClass'],
      namespaces: ['team-a', 'team-b'],
      // "other" is referenced but outside the namespaces kxds may read: never asked for.
      secretReferences: fixedSecretInterest(['team-a/tls', 'team-b/tls', 'other/tls']),
    });
    source = s.source;
    await waitFor('synced', () => s.recorder.syncedCount === 1);
    assert.deepEqual([...s.recorder.state().keys()].sort(), [
      'Namespace team-a',
      'Namespace team-b',
      'Secret team-a/tls',
      'Secret team-b/tls',
      'Service team-a/web',
      'Service team-b/web',
    ]);
    const paths = new Set(double.requests.map((r) => `${r.path}?${r.query['fieldSelector'] ?? ''}`));
    assert.deepEqual([...paths].sort(), [
      '/api/v1/namespaces/team-a/secrets?metadata.name=tls',
      '/api/v1/namespaces/team-a/services?',
      '/api/v1/namespaces/team-b/secrets?metadata.name=tls',
      '/api/v1/namespaces/team-b/services?',
      '/api/v1/namespaces?metadata.name=team-a',
      '/api/v1/namespaces?metadata.name=team-b',
      '/apis/networking.k8s.io/v1/ingressclasses?',
    ]);
    double.create(service('more', 'other'));
    const inScope = double.create(service('more', 'team-b'));
    await waitFor('the in-scope Service', () => s.recorder.state().has('Service team-b/more'));
    assert.equal(s.recorder.state().get('Service team-b/more'), inScope.metadata.resourceVersion);
    assert.ok(!s.recorder.state().has('Service other/more'));
  });

  test('synced waits for the slowest informer', async () => {
    const started = await startDouble();
    double = started.double;
    double.create(service('web'));
    double.failWith(503, 800);
    const s = await startSource(started.kubeconfigPath, { kinds: ['Service', 'Namespace'] });
    source = s.source;
    await sleep(400);
    assert.equal(s.recorder.syncedCount, 0, 'synced while the lists were failing');
    await waitFor('synced', () => s.recorder.syncedCount === 1);
    assert.deepEqual(s.recorder.log, [
      `upsert Service default/web@${double.get('v1', 'Service', 'web', 'default')?.metadata.resourceVersion}`,
      'synced',
    ]);
    assert.ok(s.source.stats().totals.errors >= 2);
  });
});
