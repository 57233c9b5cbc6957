// Incremental (delta) ADS over real gRPC on loopback, driven by a spec-written test client: one test per
// rule of the xDS protocol's "Incremental xDS" section that kxds implements.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane';
import { DeltaTestClient, type ReceivedDeltaResponse } from '../helpers/delta-client';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { TYPE_URLS } from '../../src/xds/types';
import { deltaResourceEncodeCount } from '../../src/server/delta-codec';

const proxylessNode = {
  id: 'delta-1',
  user_agent_name: 'gRPC Node',
  metadata: { 'kxds.io/role': 'proxyless' },
};
const edgeNode = { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } };

const svc = (name: string, annotations?: Record<string, string>) =>
  service('demo', name, [{ name: 'http', port: 80 }], {}, annotations);
const slice = (name: string, ips: string[]) =>
  endpointSlice(
    'demo',
    name,
    `${name}-1`,
    [{ name: 'http', port: 8080 }],
    ips.map((ip) => ({ ip })),
  );
const cla = (name: string) => `demo/${name}/80`;

async function setup(
  t: TestContext,
  ...names: string[]
): Promise<{ cp: TestControlPlane; source: SubjectSource }> {
  const source = new SubjectSource();
  for (const [i, name] of names.entries()) source.upsert(svc(name), slice(name, [`10.0.${i}.1`]));
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  return { cp, source };
}

function connect(t: TestContext, cp: TestControlPlane): DeltaTestClient {
  // The 20,000-removals answer is itself over 4 MiB, like the request.
  const client = new DeltaTestClient(cp.address, { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  t.after(() => client.close());
  return client;
}

const names = (r: ReceivedDeltaResponse) => r.resources.map((x) => x.name).sort();

/** Waits until the pipeline has built a snapshot after the changes made so far. */
async function nextBuild(cp: TestControlPlane): Promise<void> {
  await new Promise<void>((resolve) => {
    const sub = cp.pipeline.builds().subscribe(() => {
      sub.unsubscribe();
      resolve();
    });
  });
}

test('legacy wildcard CDS: the empty first request gets every cluster with its own version; an ACK gets nothing', async (t) => {
  const { cp } = await setup(t, 'a', 'b');
  const c = connect(t, cp);
  c.send({ node: proxylessNode, type_url: TYPE_URLS.cluster });
  const r = await c.next();
  assert.deepEqual(names(r), [cla('a'), cla('b')]);
  assert.equal(r.typeUrl, TYPE_URLS.cluster);
  assert.ok(r.nonce !== '');
  assert.deepEqual(r.removed, []);
  const snapshot = cp.cache.getSnapshot('proxyless');
  for (const res of r.resources) {
    assert.equal(
      res.version,
      snapshot?.types.cluster.resources.get(res.name)?.version,
      'content-hash version',
    );
    assert.equal(res.value.name, res.name);
  }
  assert.equal(r.systemVersionInfo, snapshot?.types.cluster.version);
  c.ack(r);
  assert.ok(await c.silentFor(300), 'an ACK is not answered');
});

test('the first wildcard request is answered even when there is nothing ("*" subscription, no secrets)', async (t) => {
  const { cp } = await setup(t, 'a');
  const c = connect(t, cp);
  c.send({ node: edgeNode, type_url: TYPE_URLS.secret, resource_names_subscribe: ['*'] });
  const r = await c.next();
  assert.deepEqual(r.resources, []);
  assert.deepEqual(r.removed, []);
  assert.equal(r.typeUrl, TYPE_URLS.secret);
});

test('explicit subscriptions get only the named resources; a name that does not exist yet is sent when it appears', async (t) => {
  const { cp, source } = await setup(t, 'a', 'b');
  const c = connect(t, cp);
  c.send({
    node: proxylessNode,
    type_url: TYPE_URLS.endpoint,
    resource_names_subscribe: [cla('a'), cla('later')],
  });
  const r = await c.next();
  assert.deepEqual(names(r), [cla('a')]);
  c.ack(r);
  assert.ok(await c.silentFor(200));
  source.upsert(svc('later'), slice('later', ['10.9.0.1']));
  const appeared = await c.next();
  assert.deepEqual(names(appeared), [cla('later')]);
  assert.deepEqual(appeared.removed, []);
});

test('subscribe adds names, unsubscribe stops updates, subscribing again re-sends at an unchanged version', async (t) => {
  const { cp, source } = await setup(t, 'a', 'b');
  const c = connect(t, cp);
  c.send({ node: proxylessNode, type_url: TYPE_URLS.endpoint, resource_names_subscribe: [cla('a')] });
  const first = await c.next();
  c.ack(first);
  c.send({ type_url: TYPE_URLS.endpoint, resource_names_subscribe: [cla('b')] });
  const added = await c.next();
  assert.deepEqual(names(added), [cla('b')], 'only the newly subscribed name');
  c.ack(added);

  c.send({ type_url: TYPE_URLS.endpoint, resource_names_unsubscribe: [cla('b'), 'never-subscribed'] });
  assert.ok(await c.silentFor(200), 'unsubscribing (even a phantom name) needs no answer');
  source.upsert(slice('b', ['10.0.1.9']));
  await nextBuild(cp);
  assert.ok(await c.silentFor(200), 'no update for an unsubscribed name');

  c.send({ type_url: TYPE_URLS.endpoint, resource_names_subscribe: [cla('a')] });
  const again = await c.next();
  assert.deepEqual(names(again), [cla('a')], 're-subscribing re-sends');
  assert.equal(again.resources[0]?.version, first.resources[0]?.version, 'at the unchanged version');
});

test('deleted resources are listed in removed_resources, for wildcard and explicit subscribers', async (t) => {
  const { cp, source } = await setup(t, 'a', 'b');
  const cds = connect(t, cp);
  const eds = connect(t, cp);
  cds.send({ node: proxylessNode, type_url: TYPE_URLS.cluster });
  eds.send({ node: proxylessNode, type_url: TYPE_URLS.endpoint, resource_names_subscribe: [cla('b')] });
  cds.ack(await cds.next());
  eds.ack(await eds.next());
  source.delete(svc('b'));
  const cdsUpdate = await cds.next();
  assert.deepEqual(cdsUpdate.resources, []);
  assert.deepEqual(cdsUpdate.removed, [cla('b')]);
  const edsUpdate = await eds.next();
  assert.deepEqual(edsUpdate.removed, [cla('b')]);
  // Still subscribed: it comes back when the Service does.
  eds.ack(edsUpdate);
  source.upsert(svc('b'));
  const back = await eds.next();
  assert.deepEqual(names(back), [cla('b')]);
});

test('a reconnect with initial_resource_versions gets only what changed and removals of what is gone', async (t) => {
  const { cp, source } = await setup(t, 'same', 'changed', 'gone');
  const before = connect(t, cp);
  before.send({ node: proxylessNode, type_url: TYPE_URLS.endpoint, resource_names_subscribe: ['*'] });
  const held = await before.next();
  assert.deepEqual(names(held), [cla('changed'), cla('gone'), cla('same')]);
  before.close();

  source.upsert(slice('changed', ['10.0.1.99']));
  source.delete(svc('gone'));
  await nextBuild(cp);

  const after = connect(t, cp);
  after.send({
    node: proxylessNode,
    type_url: TYPE_URLS.endpoint,
    resource_names_subscribe: ['*'],
    initial_resource_versions: Object.fromEntries(held.resources.map((r) => [r.name, r.version])),
  });
  const r = await after.next();
  assert.deepEqual(names(r), [cla('changed')], 'the unchanged resource is not sent again');
  assert.deepEqual(r.removed, [cla('gone')]);
});

test('a NACKed version is never re-sent; the next real change is', async (t) => {
  const { cp, source } = await setup(t, 'a');
  const c = connect(t, cp);
  c.send({ node: proxylessNode, type_url: TYPE_URLS.endpoint, resource_names_subscribe: [cla('a')] });
  const first = await c.next();
  for (let i = 0; i < 3; i++) {
    const last = c.received[c.received.length - 1] as ReceivedDeltaResponse;
    c.send({
      type_url: TYPE_URLS.endpoint,
      response_nonce: last.nonce,
      error_detail: { code: 3, message: 'bad' },
    });
  }
  assert.ok(await c.silentFor(400), 'no resend loop after a NACK');
  const stream = cp.server.activeDeltaStreams()[0];
  const status = stream?.status().find((s) => s.kind === 'endpoint');
  assert.equal(status?.nack?.message, 'bad');
  assert.equal(status?.nack?.nonce, first.nonce);
  source.upsert(slice('a', ['10.0.0.2']));
  const newer = await c.next();
  assert.deepEqual(names(newer), [cla('a')]);
  assert.notEqual(newer.resources[0]?.version, first.resources[0]?.version);
  c.ack(newer);
  await c.silentFor(100);
  const acked = cp.server
    .activeDeltaStreams()[0]
    ?.status()
    .find((s) => s.kind === 'endpoint');
  assert.equal(acked?.nack, undefined, 'an ACK clears the NACK');
  assert.equal(acked?.ackedVersion, newer.systemVersionInfo);
  assert.equal(acked?.sent.get(cla('a')), newer.resources[0]?.version);
});

test('after a Cluster changes, its ClusterLoadAssignment is sent again after the CDS response', async (t) => {
  const { cp, source } = await setup(t, 'a');
  const c = connect(t, cp);
  c.send({ node: proxylessNode, type_url: TYPE_URLS.cluster });
  c.ack(await c.next());
  c.send({ type_url: TYPE_URLS.endpoint, resource_names_subscribe: [cla('a')] });
  const eds = await c.next();
  c.ack(eds);
  source.upsert(svc('a', { 'kxds.io/max-requests': '100' }));
  const cds = await c.next();
  assert.equal(cds.typeUrl, TYPE_URLS.cluster);
  const edsAgain = await c.next();
  assert.equal(edsAgain.typeUrl, TYPE_URLS.endpoint);
  assert.deepEqual(names(edsAgain), [cla('a')]);
  assert.equal(edsAgain.resources[0]?.version, eds.resources[0]?.version, 'endpoints unchanged, sent anyway');
});

test('a change to several types goes out CDS, EDS, LDS, RDS', async (t) => {
  const { cp, source } = await setup(t, 'a');
  const c = connect(t, cp);
  c.send({ node: proxylessNode, type_url: TYPE_URLS.listener });
  c.send({ type_url: TYPE_URLS.route, resource_names_subscribe: ['b.demo.svc.cluster.local:80'] });
  c.send({ type_url: TYPE_URLS.cluster });
  c.send({ type_url: TYPE_URLS.endpoint, resource_names_subscribe: [cla('b')] });
  // LDS and CDS (wildcards) are answered at once; the RDS and EDS names don't exist yet, which delta says
  // at once too (removed_resources).
  const first = new Map<string, string[]>();
  for (let i = 0; i < 4; i++) {
    const r = await c.next();
    first.set(r.typeUrl, r.removed);
    c.ack(r);
  }
  assert.deepEqual(first.get(TYPE_URLS.route), ['b.demo.svc.cluster.local:80']);
  assert.deepEqual(first.get(TYPE_URLS.endpoint), [cla('b')]);
  assert.ok(await c.silentFor(200));
  source.upsert(svc('b'), slice('b', ['10.1.0.1']));
  const order: string[] = [];
  for (let i = 0; i < 4; i++) order.push((await c.next()).typeUrl);
  assert.deepEqual(order, [TYPE_URLS.cluster, TYPE_URLS.endpoint, TYPE_URLS.listener, TYPE_URLS.route]);
});

test('a reconnect carrying 20,000 initial_resource_versions (over 4 MiB) is accepted', async (t) => {
  const { cp } = await setup(t, 'a');
  const c = connect(t, cp);
  const initial: Record<string, string> = {};
  // Long names push the request past gRPC's default 4 MiB receive limit.
  for (let i = 0; i < 20_000; i++) initial[`demo/${'x'.repeat(200)}-${i}/80`] = 'v0';
  initial[cla('a')] = 'stale';
  c.send({
    node: proxylessNode,
    type_url: TYPE_URLS.endpoint,
    resource_names_subscribe: ['*'],
    initial_resource_versions: initial,
  });
  const r = await c.next(15000);
  assert.deepEqual(names(r), [cla('a')]);
  assert.equal(r.removed.length, 20_000, 'every name that does not exist is removed');
});

test('only what changed: one EndpointSlice change among many Services sends exactly one ClusterLoadAssignment, encoded once for all streams', async (t) => {
  const services = Array.from({ length: 50 }, (_, i) => `s${i}`);
  const { cp, source } = await setup(t, ...services);
  const clients = [connect(t, cp), connect(t, cp)];
  for (const c of clients) {
    c.send({ node: proxylessNode, type_url: TYPE_URLS.endpoint, resource_names_subscribe: ['*'] });
    const all = await c.next();
    assert.equal(all.resources.length, 50);
    c.ack(all);
  }
  const encodedBefore = cp.pipeline.encodeStats.encoded;
  const wrappersBefore = deltaResourceEncodeCount();
  source.upsert(slice('s7', ['10.0.7.200']));
  for (const c of clients) {
    const r = await c.next();
    assert.deepEqual(names(r), [cla('s7')]);
    assert.deepEqual(r.removed, []);
    assert.ok(await c.silentFor(200), 'nothing else is sent');
  }
  // The CLA is in two snapshot groups (proxyless and the namespace's sidecars): encoded once in each.
  assert.equal(cp.pipeline.encodeStats.encoded - encodedBefore, 2, 'one resource encoded per group');
  assert.equal(
    deltaResourceEncodeCount() - wrappersBefore,
    1,
    'its Resource wrapper encoded once for both streams',
  );
});

test('the node role is read from node.metadata (a protobuf Struct on the wire)', async (t) => {
  const { cp } = await setup(t, 'a');
  const c = connect(t, cp);
  // No gRPC user agent: only the metadata makes this node proxyless (it would be an empty edge otherwise).
  c.send({
    node: { id: 'by-metadata', metadata: { fields: { 'kxds.io/role': { stringValue: 'proxyless' } } } },
    type_url: TYPE_URLS.cluster,
  });
  const r = await c.next();
  assert.deepEqual(names(r), [cla('a')]);
  assert.equal(cp.server.activeDeltaStreams()[0]?.info?.role, 'proxyless');
});

test('delta streams are listed with a per-type status', async (t) => {
  const { cp } = await setup(t, 'a');
  const c = connect(t, cp);
  c.send({ node: proxylessNode, type_url: TYPE_URLS.cluster });
  const r = await c.next();
  const streams = cp.server.activeDeltaStreams();
  assert.equal(streams.length, 1);
  assert.equal(streams[0]?.info?.id, 'delta-1');
  const [cds] = streams[0]?.status() ?? [];
  assert.equal(cds?.protocol, 'delta');
  assert.equal(cds?.kind, 'cluster');
  assert.equal(cds?.wildcard, true);
  assert.equal(cds?.sentVersion, r.systemVersionInfo);
  assert.equal(cds?.unacked, 1);
  assert.deepEqual([...(cds?.sent.keys() ?? [])], [cla('a')]);
});

test('delta streams are listed among the connected clients (CSDS, admin, status page)', async (t) => {
  const { cp } = await setup(t, 'a');
  const c = connect(t, cp);
  c.send({ node: proxylessNode, type_url: TYPE_URLS.cluster });
  c.ack(await c.next());
  await c.silentFor(100);
  const clients = cp.server.connectedClients().filter((client) => client.protocol === 'delta');
  assert.equal(clients.length, 1);
  assert.equal(clients[0]?.info.id, 'delta-1');
  const cds = clients[0]?.types.find((s) => s.kind === 'cluster');
  assert.equal(cds?.ackedVersion, cds?.sentVersion, 'the ACK is visible');
});
