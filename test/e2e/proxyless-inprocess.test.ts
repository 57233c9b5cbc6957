// A real grpc-js-xds client against kxds's pipeline and ADS server, fed from a test source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { startBackends } from '../helpers/greeters';
import { firstReply, spread, useControlPlane } from '../helpers/xds-client';
import { greeterClient } from '../../src/demo/greeter';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

test(
  'proxyless client balances per call across endpoints and follows readiness changes',
  { timeout: 60000 },
  async (t) => {
    const backends = await startBackends(['127.0.0.2', '127.0.0.3']);
    t.after(() => backends.stop());
    const source = new SubjectSource();
    const slice = (secondReady: boolean) =>
      endpointSlice(
        'demo',
        'greeter',
        'greeter-abc',
        [{ name: 'grpc', port: backends.port }],
        [{ ip: '127.0.0.2' }, { ip: '127.0.0.3', ready: secondReady }],
      );
    source.upsert(
      service('demo', 'greeter', [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }]),
      slice(true),
    );
    source.synced();
    const cp = await startControlPlane(source);
    t.after(() => cp.stop());
    await cp.pipeline.whenReady();
    useControlPlane(cp.address);

    for (const target of [
      'xds:///greeter.demo:50051',
      'xds:///greeter.demo.svc:50051',
      'xds:///greeter.demo.svc.cluster.local:50051',
    ]) {
      const client = greeterClient(target);
      await firstReply(client);
      const counts = await spread(client, 100);
      assert.ok((counts.get('127.0.0.2') ?? 0) >= 30, `${target}: ${JSON.stringify([...counts])}`);
      assert.ok((counts.get('127.0.0.3') ?? 0) >= 30, `${target}: ${JSON.stringify([...counts])}`);
      client.close();
    }

    const client = greeterClient('xds:///greeter.demo:50051');
    await firstReply(client);
    source.upsert(slice(false));
    const deadline = Date.now() + 2000;
    let counts = new Map<string, number>();
    while (Date.now() < deadline) {
      counts = await spread(client, 20);
      if (!counts.has('127.0.0.3')) break;
    }
    assert.deepEqual([...counts.keys()], ['127.0.0.2'], 'within 2 s every call goes to the ready endpoint');
    client.close();
  },
);
