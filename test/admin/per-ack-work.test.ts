// An ACK, a NACK or a request must cost the same with 1,000 connected streams as with 10: the metrics and
// convergence hooks may look at the stream that sent it, never at the whole fleet. The test counts work,
// not time: calls of status() on the real SotwStream objects (each call reads one stream's whole state),
// while a few streams ACK, NACK and subscribe during a pending convergence of the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SotwStream } from '../../src/server/sotw-stream';
import { DeltaStream } from '../../src/server/delta-stream';
import { AdsTestClient, type ReceivedResponse } from '../helpers/ads-client';
import { startObservedApp, type ObservedApp } from '../helpers/observed-app';

const EDS_NAME = 'demo/greeter/50051';
const PROXYLESS = { metadata: { 'kxds.io/role': 'proxyless' } };

/** Counts status() calls on every SotwStream and DeltaStream while installed. */
function countStatusCalls(t: { after(fn: () => void): void }): { calls: number } {
  const counter = { calls: 0 };
  for (const proto of [SotwStream.prototype, DeltaStream.prototype] as { status(): unknown }[]) {
    const original = proto.status;
    proto.status = function (this: unknown) {
      counter.calls++;
      return original.call(this);
    };
    t.after(() => void (proto.status = original));
  }
  return counter;
}

// Deadlines, not speed checks: 1,000 streams on a loaded 2-core machine have taken over 30 s to set up.
const WAIT_MS = 90_000;

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Fleet {
  clients: AdsTestClient[];
  /** Each client's newest EDS response. */
  eds: ReceivedResponse[];
}

/** Opens n proxyless streams that hold CDS and EDS, ACKed. */
async function openFleet(observed: ObservedApp, n: number, tag: string): Promise<Fleet> {
  const clients = Array.from(
    { length: n },
    (_, i) => new AdsTestClient(observed.xdsAddress, { id: `${tag}-${i}`, ...PROXYLESS }),
  );
  for (const c of clients) c.request('cluster', []);
  await Promise.all(
    clients.map(async (c) => c.request('cluster', [], await c.waitFor('cluster', 1, WAIT_MS))),
  );
  for (const c of clients) c.request('endpoint', [EDS_NAME]);
  const eds = await Promise.all(clients.map((c) => c.waitFor('endpoint', 1, WAIT_MS)));
  clients.forEach((c, i) => c.request('endpoint', [EDS_NAME], eds[i]));
  return { clients, eds };
}

/** status() calls per event for 5 ACKs, 1 NACK and 1 new subscription while the fleet is converging. */
async function workPerEvent(t: { after(fn: () => Promise<void> | void): void }, streams: number) {
  // 1,000 streams at once: the new-stream rate limit (connection-limits.test.ts) is lifted here.
  const observed = await startObservedApp(t, { xdsLimits: { newStreamsPerSecond: 0 } });
  let acks = 0;
  let nacks = 0;
  let responses = 0;
  observed.app.streamEvents.add({
    onAck: () => acks++,
    onNack: () => nacks++,
    onResponse: () => responses++,
  });
  const fleet = await openFleet(observed, streams, `s${streams}`);
  t.after(() => fleet.clients.forEach((c) => c.close()));
  await until('the fleet ACKs', () => acks >= 2 * streams);

  // A change: every stream is sent new endpoints; none ACKs yet, so the group's convergence is pending.
  const responsesBefore = responses;
  observed.source.upsert(observed.slice(['127.0.0.2']));
  await until('the new endpoints reach every stream', () => responses >= responsesBefore + streams);
  const second = await Promise.all(fleet.clients.map((c) => c.waitFor('endpoint', 2, WAIT_MS)));

  const counter = countStatusCalls(t);
  const acksBefore = acks;
  for (let i = 0; i < 5; i++) fleet.clients[i]?.request('endpoint', [EDS_NAME], second[i]);
  await until('5 ACKs', () => acks >= acksBefore + 5);
  fleet.clients[5]?.request('endpoint', [EDS_NAME], second[5], 'rejected by the test');
  await until('the NACK', () => nacks >= 1);
  const responsesMid = responses;
  fleet.clients[6]?.request('listener', []);
  await until('the listener response', () => responses > responsesMid);
  const perEvent = counter.calls / 7;

  // The rest ACK (the new subscriber its listeners too) and the NACKing stream goes away: convergence is
  // still measured, once, when the last stream it waits for has ACKed.
  const listeners = await fleet.clients[6]?.waitFor('listener');
  fleet.clients[6]?.request('listener', [], listeners);
  fleet.clients[5]?.close();
  for (let i = 6; i < streams; i++) fleet.clients[i]?.request('endpoint', [EDS_NAME], second[i]);
  const converged = async () => convergenceCount((await observed.get('/metrics')).body) ?? 0;
  await until('the convergence is measured', async () => (await converged()) >= 1);
  assert.equal(await converged(), 1, 'one convergence, when the last stream ACKed');
  return perEvent;
}

function convergenceCount(metrics: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith('kxds_convergence_seconds_count '));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

test(
  'ACK, NACK and request cost the same with 10 and with 1,000 streams',
  { timeout: 400_000 },
  async (t) => {
    const small = await workPerEvent(t, 10);
    const large = await workPerEvent(t, 1000);
    assert.ok(large <= small, `status() calls per event: ${large} with 1000 streams vs ${small} with 10`);
    assert.ok(small <= 2, `at most the sending stream is read per event (got ${small})`);
  },
);
