// GAMMA consumer routes with real clients: Service shop/cart has a producer GRPCRoute to shop/v1
// (127.0.0.2). A consumer GRPCRoute in namespace web, added while the clients are connected, sends web's
// calls to web/v2 (127.0.0.3): grpc-js-xds and gRPC C-core declaring kxds.io/namespace web move over
// (their ADS streams are regrouped), a C-core client in namespace shop keeps v1; when the consumer route is
// deleted web's callers are back on v1. Nothing sent is NACKed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayApiObject } from '../../src/model/gateway-api';
import { greeterClient, sayHello } from '../../src/demo/greeter';
import { CcoreClient } from '../helpers/ccore-client';
import { startControlPlane } from '../helpers/control-plane';
import { eventually } from '../helpers/eventually';
import { startBackends } from '../helpers/greeters';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { SubjectSource } from '../helpers/subject-source';
import { firstReply, unrefLongTimers, useControlPlane } from '../helpers/xds-client';

const GRPC_PORT = [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }];

function grpcRoute(namespace: string, name: string, backend: string): GatewayApiObject<'GRPCRoute'> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: { namespace, name, generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      parentRefs: [{ group: '', kind: 'Service', namespace: 'shop', name: 'cart', port: 50051 }],
      rules: [{ backendRefs: [{ name: backend, port: 50051 }] }],
    },
  } as GatewayApiObject<'GRPCRoute'>;
}

test(
  'consumer routes reach the callers of their namespace only, grpc-js-xds and C-core alike',
  { timeout: 180000 },
  async (t) => {
    unrefLongTimers();
    const backends = await startBackends(['127.0.0.2', '127.0.0.3']);
    t.after(() => backends.stop());
    const slice = (namespace: string, name: string, ip: string) =>
      endpointSlice(namespace, name, `${name}-1`, [{ name: 'grpc', port: backends.port }], [{ ip }]);
    const source = new SubjectSource();
    source.upsert(
      service('shop', 'cart', GRPC_PORT),
      service('shop', 'v1', GRPC_PORT),
      service('web', 'v2', GRPC_PORT),
      slice('shop', 'v1', '127.0.0.2'),
      slice('web', 'v2', '127.0.0.3'),
      grpcRoute('shop', 'producer', 'v1'),
    );
    source.synced();
    const cp = await startControlPlane(source);
    t.after(() => cp.stop());
    await cp.pipeline.whenReady();
    const nacks: string[] = [];
    cp.streamEvents.add({ onNack: (node, kind, nack) => nacks.push(`${node.id} ${kind}: ${nack.message}`) });

    useControlPlane(cp.address, 'grpc-js-web', { 'kxds.io/namespace': 'web' });
    const js = greeterClient('xds:///cart.shop:50051');
    t.after(() => js.close());
    const webCore = new CcoreClient(cp.address, 'ccore-web', { 'kxds.io/namespace': 'web' });
    t.after(() => webCore.stop());
    const shopCore = new CcoreClient(cp.address, 'ccore-shop', { 'kxds.io/namespace': 'shop' });
    t.after(() => shopCore.stop());
    await webCore.open('cart', 'xds:///cart.shop:50051');
    await shopCore.open('cart', 'xds:///cart.shop:50051');

    const jsServedBy = async () => (await sayHello(js, 'c', 3000)).served_by;
    const coreServedBy = async (client: CcoreClient) => (await client.call('cart', 3)).servedBy;
    assert.equal((await firstReply(js)).served_by, '127.0.0.2', 'producer route before any consumer route');
    assert.equal(await coreServedBy(webCore), '127.0.0.2');
    assert.equal(await coreServedBy(shopCore), '127.0.0.2');

    source.upsert(grpcRoute('web', 'consumer', 'v2'));
    await eventually('grpc-js in web on the consumer route', async () =>
      (await jsServedBy().catch(() => '')) === '127.0.0.3' ? true : undefined,
    );
    await eventually('C-core in web on the consumer route', async () =>
      (await coreServedBy(webCore)) === '127.0.0.3' ? true : undefined,
    );
    for (let i = 0; i < 20; i++) {
      assert.equal(await jsServedBy(), '127.0.0.3', `grpc-js web call ${i}`);
      assert.equal(await coreServedBy(webCore), '127.0.0.3', `C-core web call ${i}`);
      assert.equal(await coreServedBy(shopCore), '127.0.0.2', `C-core shop call ${i}: producer route`);
    }
    const status = cp.pipeline.lastBuild?.result.gatewayStatuses.find((s) => s.name === 'consumer');
    assert.match(JSON.stringify(status?.status), /"type":"Accepted","status":"True"/);

    source.delete(grpcRoute('web', 'consumer', 'v2'));
    await eventually('grpc-js in web back on the producer route', async () =>
      (await jsServedBy().catch(() => '')) === '127.0.0.2' ? true : undefined,
    );
    await eventually('C-core in web back on the producer route', async () =>
      (await coreServedBy(webCore)) === '127.0.0.2' ? true : undefined,
    );

    js.close();
    assert.deepEqual(nacks, []);
  },
);
