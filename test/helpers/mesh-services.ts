// The Services and GAMMA routes the proxyless mesh e2e tests call, with real loopback greeters: "split"
// (a GRPCRoute sending 80 % to v1 and 20 % to v2), "routed" (a GRPCRoute: SayHello with header
// x-version: v2 -> v2, any other Greeter call -> v1) and "slow" (an HTTPRoute with a 300 ms request timeout
// in front of a greeter that answers after 3 s). The route parents have no pods of their own.
import type { TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { GatewayApiObject } from '../../src/model/gateway-api';
import { greeterService, type HelloReply } from '../../src/demo/greeter';
import { SubjectSource } from './subject-source';
import { startControlPlane, type TestControlPlane } from './control-plane';
import { startBackends } from './greeters';
import { endpointSlice, service } from './k8s-fixtures';

const GRPC_PORT = [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }];
const GREETER = 'kxds.demo.Greeter';

function route<K extends 'HTTPRoute' | 'GRPCRoute'>(
  kind: K,
  name: string,
  spec: Record<string, unknown>,
): GatewayApiObject<K> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    metadata: { namespace: 'demo', name, generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec,
  } as GatewayApiObject<K>;
}

const backend = (name: string, weight?: number) => ({ name, port: 50051, ...(weight ? { weight } : {}) });

export const MESH_ROUTES = [
  route('GRPCRoute', 'split', {
    parentRefs: [{ group: '', kind: 'Service', name: 'split', port: 50051 }],
    rules: [{ backendRefs: [backend('v1', 80), backend('v2', 20)] }],
  }),
  route('GRPCRoute', 'routed', {
    parentRefs: [{ group: '', kind: 'Service', name: 'routed' }],
    rules: [
      {
        matches: [
          {
            method: { service: GREETER, method: 'SayHello' },
            headers: [{ name: 'x-version', value: 'v2' }],
          },
        ],
        backendRefs: [backend('v2')],
      },
      { matches: [{ method: { service: GREETER } }], backendRefs: [backend('v1')] },
    ],
  }),
  route('HTTPRoute', 'slow', {
    parentRefs: [{ group: '', kind: 'Service', name: 'slow', port: 50051 }],
    rules: [{ backendRefs: [backend('sleepy')], timeouts: { request: '300ms' } }],
  }),
];

/** A greeter that answers every call after `delayMs`. */
async function startSlowGreeter(address: string, delayMs: number): Promise<grpc.Server> {
  const server = new grpc.Server();
  server.addService(greeterService().service, {
    SayHello: (_call: unknown, callback: grpc.sendUnaryData<HelloReply>) => {
      setTimeout(() => callback(null, { message: 'late', served_by: 'sleepy' }), delayMs).unref();
    },
  });
  await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return server;
}

/** Starts the backends and kxds; everything stops after the test. */
export async function startMeshServices(t: TestContext): Promise<TestControlPlane> {
  const backends = await startBackends(['127.0.0.2', '127.0.0.3']);
  t.after(() => backends.stop());
  const sleepy = await startSlowGreeter(`127.0.0.4:${backends.port}`, 3000);
  t.after(() => sleepy.forceShutdown());
  const slice = (name: string, ip: string) =>
    endpointSlice('demo', name, `${name}-1`, [{ name: 'grpc', port: backends.port }], [{ ip }]);
  const source = new SubjectSource();
  source.upsert(
    ...['split', 'routed', 'slow', 'v1', 'v2', 'sleepy'].map((name) => service('demo', name, GRPC_PORT)),
    slice('v1', '127.0.0.2'),
    slice('v2', '127.0.0.3'),
    slice('sleepy', '127.0.0.4'),
    ...MESH_ROUTES,
  );
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  return cp;
}
