// The `kxds dump` client holds what a proxy would: SotW EDS responses carry only the ClusterLoadAssignments
// that changed or were newly asked for, so the client adds them to the ones it already had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DumpClient } from '../../src/client/dump-client';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

const objects = (name: string, ip: string) => [
  service('demo', name, [{ name: 'grpc', port: 50051 }]),
  endpointSlice('demo', name, `${name}-1`, [{ name: 'grpc', port: 9000 }], [{ ip }]),
];

async function eventually(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within 5 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a Service added while the dump client is connected: it holds both assignments, not only the new one', async (t) => {
  const source = new SubjectSource();
  source.upsert(...objects('a', '10.0.0.1'));
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  const errors: Error[] = [];
  const client = new DumpClient(
    cp.address,
    { id: 'dump-1', role: 'proxyless' },
    () => {},
    (e) => errors.push(e),
  );
  t.after(() => client.close());
  client.start();
  await eventually('the first complete config', () => client.complete());

  source.upsert(...objects('b', '10.0.0.2'));
  const held = () => (client.responses().get('endpoint')?.resources ?? []).map((r) => r.cluster_name).sort();
  await eventually('both assignments held', () => held().length === 2);
  assert.deepEqual(held(), ['demo/a/50051', 'demo/b/50051']);
  assert.equal(client.complete(), true);
  assert.deepEqual(errors, []);
});
