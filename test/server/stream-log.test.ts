// Log lines that xDS clients trigger stay small and few: a huge node id or NACK message is clipped, a NACK
// loop writes one line per window with a count of the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/log';
import { LogThrottle } from '../../src/log-throttle';
import { streamLog } from '../../src/server/stream-log';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { AdsTestClient } from '../helpers/ads-client';
import { service } from '../helpers/k8s-fixtures';
import type { NodeInfo } from '../../src/server/node';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'a 10 MB node id and a NACK loop of 100 KB messages write a few KB of log, not MBs',
  { timeout: 90_000 },
  async (t) => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const source = new SubjectSource();
    source.upsert(service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]));
    source.synced();
    const cp = await startControlPlane(source, logger);
    t.after(() => cp.stop());
    await cp.pipeline.whenReady();
    let nacksSeen = 0;
    cp.streamEvents.add({ onNack: () => void (nacksSeen += 1) });
    // 7 MiB: under the 8 MiB request limit (a 10 MB node id is refused before it is read).
    const id = 'n'.repeat(7 * 1024 * 1024);
    const nackOnce = async (nodeId: string, i: number) => {
      const client = new AdsTestClient(cp.address, { id: nodeId, metadata: { 'kxds.io/role': 'proxyless' } });
      t.after(() => client.close());
      client.request('cluster');
      const first = await client.waitFor('cluster', 1, 30_000); // a 10 MB request is slow on a loaded machine
      client.request('cluster', [], first, `rejected ${i}: ${'e'.repeat(100_000)}`);
      return client;
    };
    await nackOnce(id, 0);
    // A proxy in a reconnect loop NACKs each new stream's first response.
    for (let i = 1; i <= 50; i++) await nackOnce('looper', i);
    for (let waited = 0; nacksSeen < 51 && waited < 10_000; waited += 50) await sleep(50);
    assert.equal(nacksSeen, 51, 'the server saw every NACK');
    const bytes = lines.reduce((n, line) => n + line.length, 0);
    const nacks = lines.filter((line) => line.includes('NACK'));
    assert.equal(nacks.length, 2, 'one NACK line per node and type in the window');
    assert.ok(bytes < 64 * 1024, `${bytes} bytes of log`);
    assert.match(nacks[0]!, /\(7340032 characters\)/);
  },
);

test('after the window the next NACK line counts the ones left out; other nodes and types are their own', () => {
  let now = 0;
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const events = streamLog(logger, new LogThrottle(10_000, 100, () => now));
  const node = (id: string) => ({ id, role: 'proxyless' }) as NodeInfo;
  const nack = { version: 'v1', message: 'bad cluster', nonce: '1' } as never;
  for (let i = 0; i < 5; i++) events.onNack?.(node('a'), 'cluster', nack);
  events.onNack?.(node('a'), 'listener', nack);
  events.onNack?.(node('b'), 'cluster', nack);
  now += 10_000;
  events.onNack?.(node('a'), 'cluster', nack);
  assert.deepEqual(
    lines.map((l) => [l.node, l.type, l.suppressed]),
    [
      ['a', 'cluster', undefined],
      ['a', 'listener', undefined],
      ['b', 'cluster', undefined],
      ['a', 'cluster', 4],
    ],
  );
  assert.equal(
    lines[3]?.msg,
    'NACK: the client rejected config (4 more NACKs from node a for type cluster suppressed)',
  );
});

test('the throttle forgets its oldest key past its bound', () => {
  const throttle = new LogThrottle(10_000, 2, () => 0);
  assert.deepEqual(
    ['a', 'b', 'c'].map((k) => throttle.admit(k).write),
    [true, true, true],
  );
  assert.equal(throttle.admit('c').write, false);
  assert.equal(throttle.admit('a').write, true, 'a was forgotten to keep two keys');
});
