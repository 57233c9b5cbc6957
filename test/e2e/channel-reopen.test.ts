// A real grpc-js-xds client closes its channel to an xds:/// target and opens a new one to the same target
// while its ADS stream stays up (another channel keeps it open): the client unsubscribes the target's
// Listener and subscribes it again at an unchanged version, and the new channel must be served at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { startBackends } from '../helpers/greeters';
import { firstReply, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient } from '../../src/demo/greeter';
import { greeterObjects } from '../helpers/k8s-fixtures';

test(
  'a channel closed and reopened to the same xds:/// target is served again at once',
  { timeout: 60000 },
  async (t) => {
    unrefLongTimers();
    const backends = await startBackends(['127.0.0.2']);
    t.after(() => backends.stop());
    const source = new SubjectSource();
    source.upsert(...greeterObjects(backends.port, ['127.0.0.2']));
    source.synced();
    const cp = await startControlPlane(source);
    t.after(() => cp.stop());
    await cp.pipeline.whenReady();
    useControlPlane(cp.address, 'reopen-client');

    // Keeps the client's one ADS stream up while the other channel comes and goes.
    const keeper = greeterClient('xds:///greeter.demo.svc:50051');
    t.after(() => keeper.close());
    await firstReply(keeper);

    const target = 'xds:///greeter.demo:50051';
    const first = greeterClient(target);
    await firstReply(first);
    first.close();
    const closedAt = new Date();
    // Let the unsubscription reach the server before the channel is opened again.
    await new Promise((r) => setTimeout(r, 500));
    const again = greeterClient(target);
    t.after(() => again.close());
    await firstReply(again, 4000);
    const streams = cp.server.activeStreams();
    assert.equal(streams.length, 1, 'one ADS stream');
    assert.ok((streams[0]?.openedAt ?? closedAt) < closedAt, 'the stream stayed up across the reopen');
  },
);
