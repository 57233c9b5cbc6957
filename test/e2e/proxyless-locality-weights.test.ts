// Locality weights with the real grpc-js-xds client: gRPC balances across localities by their weight and
// ignores DRAINING endpoints, so a weight that counted draining pods skewed traffic (measured 199/101 for
// the case below before the fix). Zone a: one serving pod, one draining; zone b: one serving pod, one
// terminated (left out). Both serving pods must get an even share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { startBackends } from '../helpers/greeters';
import { firstReply, spread, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient } from '../../src/demo/greeter';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

test(
  'a draining pod does not give its zone extra weight: 50/50 between the serving pods',
  { timeout: 60000 },
  async (t) => {
    unrefLongTimers();
    // Every pod runs a greeter, so a call sent to the draining or terminated one would be counted too.
    const backends = await startBackends(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']);
    t.after(() => backends.stop());
    const source = new SubjectSource();
    source.upsert(
      service('demo', 'greeter', [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }]),
      endpointSlice(
        'demo',
        'greeter',
        'greeter-abc',
        [{ name: 'grpc', port: backends.port }],
        [
          { ip: '127.0.0.2', zone: 'zone-a' },
          { ip: '127.0.0.3', zone: 'zone-a', ready: false, serving: true, terminating: true },
          { ip: '127.0.0.4', zone: 'zone-b' },
          { ip: '127.0.0.5', zone: 'zone-b', ready: false, serving: false, terminating: true },
        ],
      ),
    );
    source.synced();
    const cp = await startControlPlane(source);
    t.after(() => cp.stop());
    await cp.pipeline.whenReady();
    useControlPlane(cp.address);

    const client = greeterClient('xds:///greeter.demo:50051');
    await firstReply(client);
    const calls = 300;
    const counts = await spread(client, calls);
    // Closed before the control plane stops: an xDS client left watching a stopped server keeps a
    // reconnect timer that holds the test process open.
    client.close();
    const detail = JSON.stringify([...counts]);
    assert.deepEqual([...counts.keys()].sort(), ['127.0.0.2', '127.0.0.4'], `only serving pods: ${detail}`);
    // Weighted-target picks are random per call: 300 calls at p = 0.5 stay within 150 +- 30 (3.5 sigma).
    for (const pod of ['127.0.0.2', '127.0.0.4']) {
      const n = counts.get(pod) ?? 0;
      assert.ok(Math.abs(n - calls / 2) <= 30, `${pod} got ${n} of ${calls}: ${detail}`);
    }
  },
);
