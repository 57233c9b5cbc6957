// A real proxyless client closes its channel to an xds:/// target and opens a new one to the same target
// while its ADS stream stays up (another channel keeps it open): the client unsubscribes the target's
// Listener and subscribes it again at an unchanged version, and the new channel must be served at once.
// Run with both proxyless clients: grpc-js-xds in-process and gRPC C-core (Debian python3-grpcio).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane';
import { startBackends } from '../helpers/greeters';
import { firstReply, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient } from '../../src/demo/greeter';
import { greeterObjects } from '../helpers/k8s-fixtures';
import { CcoreClient } from '../helpers/ccore-client';

const KEEPER_TARGET = 'xds:///greeter.demo.svc:50051';
const TARGET = 'xds:///greeter.demo:50051';

async function greeterControlPlane(t: TestContext): Promise<TestControlPlane> {
  const backends = await startBackends(['127.0.0.2']);
  t.after(() => backends.stop());
  const source = new SubjectSource();
  source.upsert(...greeterObjects(backends.port, ['127.0.0.2']));
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  return cp;
}

test(
  'grpc-js: a channel closed and reopened to the same xds:/// target is served again at once',
  { timeout: 60000 },
  async (t) => {
    unrefLongTimers();
    const cp = await greeterControlPlane(t);
    useControlPlane(cp.address, 'reopen-client');

    // Channels close before the control plane stops (t.after runs first-in first-out): a grpc-js xDS client
    // that loses its server while a channel is open keeps retrying, and the test process would not exit.
    const channels: ReturnType<typeof greeterClient>[] = [];
    const open = (target: string) => {
      const channel = greeterClient(target);
      channels.push(channel);
      return channel;
    };
    try {
      // Keeps the client's one ADS stream up while the other channel comes and goes.
      await firstReply(open(KEEPER_TARGET));
      const first = open(TARGET);
      await firstReply(first);
      first.close();
      const closedAt = Date.now();
      // Let the unsubscription reach the server before the channel is opened again.
      await new Promise((r) => setTimeout(r, 500));
      await firstReply(open(TARGET), 4000);
      const streams = cp.server.activeStreams();
      assert.equal(streams.length, 1, 'one ADS stream');
      assert.ok(
        (streams[0]?.openedAt.getTime() ?? closedAt) < closedAt,
        'the stream stayed up across the reopen',
      );
    } finally {
      for (const channel of channels) channel.close();
    }
  },
);

test(
  'gRPC C-core: a channel closed and reopened to the same xds:/// target is served again at once',
  { timeout: 60000 },
  async (t) => {
    const cp = await greeterControlPlane(t);
    const client = new CcoreClient(cp.address, 'reopen-ccore');
    t.after(() => client.stop());
    await client.open('keeper', KEEPER_TARGET);
    assert.equal((await client.call('keeper', 15)).ok, true);
    const stream = cp.server.activeStreams()[0];
    await client.open('first', TARGET);
    assert.equal((await client.call('first', 15)).ok, true);
    await client.close('first');
    await new Promise((r) => setTimeout(r, 500)); // let the unsubscription reach the server
    await client.open('again', TARGET);
    const again = await client.call('again', 4);
    assert.deepEqual({ ok: again.ok, code: again.code }, { ok: true, code: undefined });
    t.diagnostic(`C-core: the reopened channel's first call took ${again.seconds} s`);
    const streams = cp.server.activeStreams();
    assert.ok(streams.length === 1 && streams[0] === stream, 'on the ADS stream it opened first');
  },
);
