// SotW EDS responses carry only the ClusterLoadAssignment that changed: with both real proxyless clients
// (grpc-js-xds in-process, gRPC C-core via python3-grpcio) holding channels to two Services, one Service's
// endpoints move; its channel follows, the other Service's channel keeps working on the assignment the
// client already had, and every EDS response after the change carried one resource.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane';
import { startBackends } from '../helpers/greeters';
import { firstReply, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient, sayHello } from '../../src/demo/greeter';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { CcoreClient } from '../helpers/ccore-client';

const slice = (name: string, port: number, ip: string) =>
  endpointSlice('demo', name, `${name}-1`, [{ name: 'grpc', port }], [{ ip }]);

interface Setup {
  cp: TestControlPlane;
  /** Moves Service a's only endpoint from 127.0.0.2 to 127.0.0.3. */
  moveA(): void;
  /** Resources carried by each EDS response to `nodeId` since the last moveA(). */
  edsSinceMove(nodeId: string): number[];
}

async function setup(t: TestContext): Promise<Setup> {
  const backends = await startBackends(['127.0.0.2', '127.0.0.3']);
  t.after(() => backends.stop());
  const source = new SubjectSource();
  for (const name of ['a', 'b'])
    source.upsert(
      service('demo', name, [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }]),
      slice(name, backends.port, '127.0.0.2'),
    );
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  let moved = false;
  const eds: { node: string; resources: number }[] = [];
  t.after(
    cp.streamEvents.add({
      onResponse: (info, kind, _version, resources) => {
        if (moved && kind === 'endpoint') eds.push({ node: info.id, resources });
      },
    }),
  );
  return {
    cp,
    moveA: () => {
      moved = true;
      source.upsert(slice('a', backends.port, '127.0.0.3'));
    },
    edsSinceMove: (nodeId) => eds.filter((e) => e.node === nodeId).map((e) => e.resources),
  };
}

/** Calls until `call` answers from `servedBy`, within a few seconds. */
async function until(call: () => Promise<string | undefined>, servedBy: string): Promise<void> {
  const deadline = Date.now() + 5000;
  let last: string | undefined;
  while (Date.now() < deadline) {
    last = await call();
    if (last === servedBy) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`still served by ${last ?? 'nobody'}, not ${servedBy}`);
}

test(
  'grpc-js: one Service moves, the other keeps the assignment it had; EDS carried only the change',
  { timeout: 60000 },
  async (t) => {
    unrefLongTimers();
    const s = await setup(t);
    useControlPlane(s.cp.address, 'partial-eds-js');
    const a = greeterClient('xds:///a.demo:50051');
    const b = greeterClient('xds:///b.demo:50051');
    try {
      assert.equal((await firstReply(a)).served_by, '127.0.0.2');
      assert.equal((await firstReply(b)).served_by, '127.0.0.2');
      s.moveA();
      await until(async () => (await sayHello(a, 'a')).served_by, '127.0.0.3');
      assert.equal((await sayHello(b, 'b', 2000)).served_by, '127.0.0.2', 'b still served');
      assert.deepEqual(s.edsSinceMove('partial-eds-js'), [1]);
    } finally {
      a.close();
      b.close();
    }
  },
);

test(
  'gRPC C-core: one Service moves, the other keeps the assignment it had; EDS carried only the change',
  { timeout: 60000 },
  async (t) => {
    const s = await setup(t);
    const client = new CcoreClient(s.cp.address, 'partial-eds-ccore');
    t.after(() => client.stop());
    for (const name of ['a', 'b']) {
      await client.open(name, `xds:///${name}.demo:50051`);
      assert.equal((await client.call(name, 15)).servedBy, '127.0.0.2');
    }
    s.moveA();
    await until(async () => (await client.call('a', 2)).servedBy, '127.0.0.3');
    const b = await client.call('b', 2);
    assert.deepEqual(
      { ok: b.ok, servedBy: b.servedBy },
      { ok: true, servedBy: '127.0.0.2' },
      'b still served',
    );
    assert.deepEqual(s.edsSinceMove('partial-eds-ccore'), [1]);
  },
);
