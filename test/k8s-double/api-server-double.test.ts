// The API server double speaks enough Kubernetes for the real @kubernetes/client-node: its typed APIs
// (discovery, CRUD, patches, the status subresource, Leases) and its Watch (events, bookmarks, 410, errors).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadClientNode, type K8sModule } from '../../src/sources/kube-client';
import { ApiServerDouble } from './api-server-double';
import { writeKubeconfig } from './kubeconfig';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface WatchRun {
  events: {
    type: string;
    object: { metadata?: { name?: string; resourceVersion?: string }; code?: number };
  }[];
  done: Promise<unknown>;
  abort(): void;
}

describe('ApiServerDouble with @kubernetes/client-node', () => {
  let double: ApiServerDouble;
  let k8s: K8sModule;
  let kc: KubeConfig;

  before(async () => {
    double = await ApiServerDouble.start({ bookmarkIntervalMs: 100 });
    k8s = await loadClientNode();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(writeKubeconfig(double.url));
  });
  after(async () => {
    await double.stop();
  });

  async function watch(path: string, params: Record<string, string | boolean>): Promise<WatchRun> {
    const events: WatchRun['events'] = [];
    let finish: (err: unknown) => void = () => undefined;
    const done = new Promise<unknown>((resolve) => (finish = resolve));
    const controller = await new k8s.Watch(kc).watch(
      path,
      params,
      (type, object) => events.push({ type, object }),
      finish,
    );
    return { events, done, abort: () => controller.abort() };
  }

  /** The HTTP status a call failed with, 'no status' for a failure without one, undefined for success. */
  async function statusCode(call: Promise<unknown>): Promise<number | string | undefined> {
    try {
      await call;
      return undefined;
    } catch (err) {
      return (err as { code?: number }).code ?? 'no status';
    }
  }

  test('discovery: /version, /api, /apis, group versions with status subresources', async () => {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    assert.match(version.gitVersion, /^v1\.\d+/);
    const core = await kc.makeApiClient(k8s.CoreApi).getAPIVersions();
    assert.deepEqual(core.versions, ['v1']);
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    assert.deepEqual(groups.groups.map((g) => g.name).sort(), [
      'admissionregistration.k8s.io',
      'apiextensions.k8s.io',
      'apps',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'networking.k8s.io',
    ]);
    const networking = await kc.makeApiClient(k8s.NetworkingV1Api).getAPIResources();
    assert.deepEqual(networking.resources.map((r) => r.name).sort(), [
      'ingressclasses',
      'ingresses',
      'ingresses/status',
    ]);
    const coreResources = await kc.makeApiClient(k8s.CoreV1Api).getAPIResources();
    assert.ok(coreResources.resources.some((r) => r.name === 'secrets' && r.namespaced));
  });

  test('create, read, list by label, replace with optimistic locking, patch, delete', async () => {
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const created = await api.createNamespacedService({
      namespace: 'crud',
      body: { metadata: { name: 'web', labels: { app: 'web' } }, spec: { ports: [{ port: 80 }] } },
    });
    assert.equal(created.kind, 'Service');
    assert.ok(created.metadata?.uid);
    assert.equal(
      await statusCode(
        api.createNamespacedService({ namespace: 'crud', body: { metadata: { name: 'web' } } }),
      ),
      409,
    );
    await api.createNamespacedService({
      namespace: 'crud',
      body: { metadata: { name: 'db', labels: { app: 'db' } } },
    });
    const byLabel = await api.listNamespacedService({ namespace: 'crud', labelSelector: 'app=web' });
    assert.deepEqual(
      byLabel.items.map((s) => s.metadata?.name),
      ['web'],
    );
    const notIn = await api.listNamespacedService({ namespace: 'crud', labelSelector: 'app notin (web)' });
    assert.deepEqual(
      notIn.items.map((s) => s.metadata?.name),
      ['db'],
    );

    const read = await api.readNamespacedService({ name: 'web', namespace: 'crud' });
    const replaced = await api.replaceNamespacedService({
      name: 'web',
      namespace: 'crud',
      body: { ...read, spec: { ports: [{ port: 81 }] } },
    });
    assert.ok(Number(replaced.metadata?.resourceVersion) > Number(read.metadata?.resourceVersion));
    assert.equal(
      await statusCode(api.replaceNamespacedService({ name: 'web', namespace: 'crud', body: read })),
      409,
      'stale resourceVersion',
    );

    const merged = await api.patchNamespacedService(
      { name: 'web', namespace: 'crud', body: { metadata: { labels: { tier: 'front' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.metadata?.labels, { app: 'web', tier: 'front' });
    const jsonPatched = await api.patchNamespacedService(
      { name: 'web', namespace: 'crud', body: [{ op: 'replace', path: '/spec/ports/0/port', value: 82 }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    assert.equal(jsonPatched.spec?.ports?.[0]?.port, 82);

    await api.deleteNamespacedService({ name: 'web', namespace: 'crud' });
    assert.equal(await statusCode(api.readNamespacedService({ name: 'web', namespace: 'crud' })), 404);
  });

  test('the status subresource: main writes keep status, /status writes change only status', async () => {
    const api = kc.makeApiClient(k8s.NetworkingV1Api);
    await api.createNamespacedIngress({
      namespace: 'st',
      body: { metadata: { name: 'web' }, spec: { ingressClassName: 'kxds' } },
    });
    const withStatus = await api.patchNamespacedIngressStatus(
      {
        name: 'web',
        namespace: 'st',
        body: {
          status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
          spec: { ingressClassName: 'ignored' },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(withStatus.status?.loadBalancer?.ingress?.[0]?.ip, '192.0.2.1');
    assert.equal(withStatus.spec?.ingressClassName, 'kxds');
    const replaced = await api.replaceNamespacedIngress({
      name: 'web',
      namespace: 'st',
      body: { ...withStatus, spec: { ingressClassName: 'other' }, status: {} },
    });
    assert.equal(replaced.spec?.ingressClassName, 'other');
    assert.equal(replaced.status?.loadBalancer?.ingress?.[0]?.ip, '192.0.2.1');
  });

  test('Leases and Events', async () => {
    const leases = kc.makeApiClient(k8s.CoordinationV1Api);
    const lease = await leases.createNamespacedLease({
      namespace: 'kxds-system',
      body: { metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } },
    });
    const renewed = await leases.replaceNamespacedLease({
      name: 'leader',
      namespace: 'kxds-system',
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'b' } },
    });
    assert.equal(renewed.spec?.holderIdentity, 'b');
    const events = kc.makeApiClient(k8s.CoreV1Api);
    const event = await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'web.' },
        involvedObject: { kind: 'Ingress', name: 'web' },
        reason: 'Test',
        message: 'hello',
      },
    });
    assert.match(event.metadata?.name ?? '', /^web\./);
  });

  test('field selectors: type, metadata.namespace, metadata.name; unknown fields are a 400', async () => {
    for (const [ns, type, name] of [
      ['fs-a', 'kubernetes.io/tls', 'tls'],
      ['fs-a', 'Opaque', 'opaque'],
      ['fs-b', 'kubernetes.io/tls', 'tls'],
    ] as const) {
      double.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type });
    }
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const names = async (fieldSelector: string) =>
      (await api.listSecretForAllNamespaces({ fieldSelector })).items
        .filter((s) => s.metadata?.namespace?.startsWith('fs-'))
        .map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`);
    assert.deepEqual(await names('type=kubernetes.io/tls'), ['fs-a/tls', 'fs-b/tls']);
    assert.deepEqual(await names('type=kubernetes.io/tls,metadata.namespace=fs-b'), ['fs-b/tls']);
    assert.deepEqual(await names('metadata.name=opaque'), ['fs-a/opaque']);
    assert.equal(await statusCode(api.listSecretForAllNamespaces({ fieldSelector: 'spec.nope=1' })), 400);
  });

  test('list pages with limit/continue; a continue token from before a compaction is 410', async () => {
    for (let i = 0; i < 5; i++)
      double.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'page' } });
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const first = await api.listNamespacedService({ namespace: 'page', limit: 2 });
    assert.deepEqual(
      first.items.map((s) => s.metadata?.name),
      ['s0', 's1'],
    );
    const second = await api.listNamespacedService({
      namespace: 'page',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    assert.deepEqual(
      second.items.map((s) => s.metadata?.name),
      ['s2', 's3'],
    );
    assert.equal(
      second.metadata?.resourceVersion,
      first.metadata?.resourceVersion,
      'one consistent list version',
    );
    // A change after the list, then compaction: the list's version is gone.
    double.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'later', namespace: 'page' } });
    double.compact();
    assert.equal(
      await statusCode(
        api.listNamespacedService({ namespace: 'page', limit: 2, _continue: second.metadata?._continue }),
      ),
      410,
    );
  });

  test('watch: changes after a resourceVersion, bookmarks on request, selectors apply', async () => {
    const rv = String(double.store.currentRv);
    const run = await watch('/api/v1/namespaces/w/secrets', {
      resourceVersion: rv,
      allowWatchBookmarks: true,
      fieldSelector: 'type=kubernetes.io/tls',
    });
    const tls = double.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tls', namespace: 'w' },
      type: 'kubernetes.io/tls',
    });
    double.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'opaque', namespace: 'w' },
      type: 'Opaque',
    });
    double.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'elsewhere', namespace: 'w2' },
      type: 'kubernetes.io/tls',
    });
    double.update({ ...tls, data: { 'tls.crt': 'eA==' } });
    double.delete(tls);
    await sleep(250);
    run.abort();
    const changes = run.events
      .filter((e) => e.type !== 'BOOKMARK')
      .map((e) => `${e.type} ${e.object.metadata?.name}`);
    assert.deepEqual(changes, ['ADDED tls', 'MODIFIED tls', 'DELETED tls']);
    const bookmarks = run.events.filter((e) => e.type === 'BOOKMARK');
    assert.ok(bookmarks.length >= 1);
    assert.equal(bookmarks[0]?.object.metadata?.resourceVersion, String(double.store.currentRv));
  });

  test('watch from a compacted version: ERROR 410 Expired, then the stream ends', async () => {
    const old = String(double.store.currentRv);
    double.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'cmp' } });
    double.compact();
    const run = await watch('/api/v1/services', { resourceVersion: old });
    await run.done;
    assert.deepEqual(
      run.events.map((e) => [e.type, e.object.code]),
      [['ERROR', 410]],
    );
  });

  test('dropAllWatches ends streams; failWith answers errors for a while; restart keeps state on the same port', async () => {
    const run = await watch('/api/v1/services', { resourceVersion: String(double.store.currentRv) });
    assert.equal(double.openWatchCount, 1);
    double.dropAllWatches();
    await run.done;
    assert.equal(double.openWatchCount, 0);

    double.failWith(503, 300);
    const failed = await watch('/api/v1/services', {});
    assert.equal(((await failed.done) as { statusCode?: number }).statusCode, 503);
    const api = kc.makeApiClient(k8s.CoreV1Api);
    assert.equal(await statusCode(api.listNamespacedService({ namespace: 'default' })), 503);
    await sleep(350);
    await api.listNamespacedService({ namespace: 'default' });

    // One API group down: only requests under the prefix fail.
    double.failWith(503, 10_000, '/apis/networking.k8s.io/');
    const networking = kc.makeApiClient(k8s.NetworkingV1Api);
    assert.equal(await statusCode(networking.listIngressForAllNamespaces()), 503);
    await api.listNamespacedService({ namespace: 'default' });
    double.recover();
    await networking.listIngressForAllNamespaces();

    const port = double.port;
    double.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'survivor', namespace: 'rs' } });
    await double.stop();
    assert.notEqual(
      await statusCode(api.listNamespacedService({ namespace: 'rs' })),
      undefined,
      'unreachable while stopped',
    );
    await double.restart();
    assert.equal(double.port, port);
    const after = await api.listNamespacedService({ namespace: 'rs' });
    assert.deepEqual(
      after.items.map((s) => s.metadata?.name),
      ['survivor'],
    );
    const logged = double.requestsFor('/api/v1/namespaces/rs/services');
    assert.ok(logged.some((r) => r.status === 200));
  });
});
