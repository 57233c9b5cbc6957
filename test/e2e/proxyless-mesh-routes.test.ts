// GAMMA routes reaching the real grpc-js-xds client: a GRPCRoute on Service "split" sends 80 % / 20 % of
// 500 calls to v1 / v2 (within 5 points), a GRPCRoute on "routed" sends SayHello with x-version: v2 to v2
// and the rest to v1, an HTTPRoute's 300 ms request timeout on "slow" ends a call to a 3 s backend with
// DEADLINE_EXCEEDED although the caller allowed 5 s, and every resource sent is ACKed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { firstReply, spread, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient, sayHello } from '../../src/demo/greeter';
import { startMeshServices } from '../helpers/mesh-services';
import type { NodeSummary } from '../../src/admin/node-summary';
import { sayHelloWith } from '../helpers/greeter-metadata';

test(
  'grpc-js-xds: GAMMA weights, method and header routing, a route timeout',
  { timeout: 120000 },
  async (t) => {
    unrefLongTimers();
    const cp = await startMeshServices(t);
    useControlPlane(cp.address, 'grpc-js-mesh');

    const split = greeterClient('xds:///split.demo:50051');
    t.after(() => split.close());
    await firstReply(split);
    const counts = await spread(split, 500);
    const v1 = counts.get('127.0.0.2') ?? 0;
    const v2 = counts.get('127.0.0.3') ?? 0;
    assert.equal(v1 + v2, 500, JSON.stringify([...counts]));
    assert.ok(Math.abs(v1 / 500 - 0.8) <= 0.05, `80/20 within 5 points: v1 ${v1}, v2 ${v2}`);

    const routed = greeterClient('xds:///routed.demo:50051');
    t.after(() => routed.close());
    await firstReply(routed);
    const plain = await spread(routed, 20);
    assert.deepEqual([...plain.keys()], ['127.0.0.2'], 'no header: the Greeter service rule (v1)');
    for (let i = 0; i < 20; i++)
      assert.equal((await sayHelloWith(routed, { 'x-version': 'v2' })).served_by, '127.0.0.3');
    assert.equal((await sayHelloWith(routed, { 'x-version': 'v3' })).served_by, '127.0.0.2');

    const slow = greeterClient('xds:///slow.demo:50051');
    t.after(() => slow.close());
    // The first calls may fail while config arrives; the route's cap is what ends a settled one.
    let code: grpc.status | undefined;
    for (let attempt = 0; attempt < 20 && code !== grpc.status.DEADLINE_EXCEEDED; attempt++) {
      try {
        await sayHello(slow, 'slow', 5000);
        code = grpc.status.OK;
      } catch (err) {
        code = (err as grpc.ServiceError).code;
        if (code === grpc.status.UNAVAILABLE) await new Promise((r) => setTimeout(r, 200));
      }
      if (code === grpc.status.OK) break;
    }
    assert.equal(
      code,
      grpc.status.DEADLINE_EXCEEDED,
      `the 300 ms route timeout ends the 3 s call (got ${String(code)})`,
    );

    // Channels close before the control plane stops (the t.after hooks), or grpc-js-xds keeps
    // reconnecting to it and the test process does not exit.
    for (const client of [split, routed, slow]) client.close();

    const nodes = ((await (await fetch(`${cp.adminUrl}/debug/nodes`)).json()) as { nodes: NodeSummary[] })
      .nodes;
    const node = nodes.find((n) => n.id === 'grpc-js-mesh');
    assert.ok(node, JSON.stringify(nodes.map((n) => n.id)));
    for (const type of node.types) {
      assert.equal(type.nack, undefined, `${type.type} NACKed: ${JSON.stringify(type.nack)}`);
      assert.equal(type.ackedVersion, type.sentVersion, `${type.type} ACKed`);
    }
  },
);
