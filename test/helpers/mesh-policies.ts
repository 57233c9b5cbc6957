// The Services and GAMMA routes the proxyless retry and fault e2e tests call: "retried" (a GRPCRoute with
// kxds.io/retry-on unavailable, one retry, 10 ms backoff) and "unretried" (the same without retries), each
// in front of its own flaky greeter that fails every other attempt with UNAVAILABLE; "aborted" (25 % of
// calls aborted with UNAVAILABLE) and "delayed" (50 % of calls delayed by 2 s) in front of a plain greeter.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { GatewayApiObject } from '../../src/model/gateway-api';
import { greeterService, type HelloReply } from '../../src/demo/greeter';
import { SubjectSource } from './subject-source';
import { startControlPlane, type TestControlPlane } from './control-plane';
import { startBackends } from './greeters';
import { endpointSlice, service } from './k8s-fixtures';

const GRPC_PORT = [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }];

function route(
  name: string,
  backend: string,
  annotations: Record<string, string>,
): GatewayApiObject<'GRPCRoute'> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: {
      namespace: 'demo',
      name,
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations,
    },
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name, port: 50051 }],
      rules: [{ backendRefs: [{ name: backend, port: 50051 }] }],
    },
  } as GatewayApiObject<'GRPCRoute'>;
}

export const POLICY_ROUTES = [
  route('retried', 'flaky-a', {
    'kxds.io/retry-on': 'unavailable',
    'kxds.io/num-retries': '1',
    'kxds.io/retry-backoff': '10ms,50ms',
  }),
  route('unretried', 'flaky-b', {}),
  route('aborted', 'steady', { 'kxds.io/fault-abort': 'unavailable', 'kxds.io/fault-abort-percent': '25' }),
  route('delayed', 'steady', { 'kxds.io/fault-delay': '2s', 'kxds.io/fault-delay-percent': '50' }),
];

/** A greeter failing every other attempt (the 1st, 3rd, ...) with UNAVAILABLE; `attempts` counts them all. */
export interface FlakyGreeter {
  server: grpc.Server;
  attempts(): number;
}

async function startFlakyGreeter(address: string): Promise<FlakyGreeter> {
  let attempts = 0;
  const server = new grpc.Server();
  server.addService(greeterService().service, {
    SayHello: (_call: unknown, callback: grpc.sendUnaryData<HelloReply>) => {
      attempts++;
      if (attempts % 2 === 1) callback({ code: grpc.status.UNAVAILABLE, details: 'first attempt fails' });
      else callback(null, { message: 'second time lucky', served_by: address });
    },
  });
  await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { server, attempts: () => attempts };
}

export interface PolicyServices {
  cp: TestControlPlane;
  flakyA: FlakyGreeter;
  flakyB: FlakyGreeter;
}

/** Starts the backends and kxds; everything stops after the test. */
export async function startPolicyServices(t: TestContext): Promise<PolicyServices> {
  const steady = await startBackends(['127.0.0.2']);
  t.after(() => steady.stop());
  const flakyA = await startFlakyGreeter(`127.0.0.5:${steady.port}`);
  const flakyB = await startFlakyGreeter(`127.0.0.6:${steady.port}`);
  t.after(() => [flakyA, flakyB].forEach((f) => f.server.forceShutdown()));
  const slice = (name: string, ip: string) =>
    endpointSlice('demo', name, `${name}-1`, [{ name: 'grpc', port: steady.port }], [{ ip }]);
  const source = new SubjectSource();
  source.upsert(
    ...['retried', 'unretried', 'aborted', 'delayed', 'steady', 'flaky-a', 'flaky-b'].map((name) =>
      service('demo', name, GRPC_PORT),
    ),
    slice('steady', '127.0.0.2'),
    slice('flaky-a', '127.0.0.5'),
    slice('flaky-b', '127.0.0.6'),
    ...POLICY_ROUTES,
  );
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  return { cp, flakyA, flakyB };
}

/**
 * Asserts that `counts` (outcome -> calls, over `total` calls) holds only "OK" and `failure`, with the
 * failure share within 3 standard deviations of the binomial at `rate`: 6.5 points for 25 % over 400 calls,
 * 15 points for 50 % over 100.
 */
export function assertFailureRate(
  counts: ReadonlyMap<string, number>,
  failure: string,
  rate: number,
  total: number,
): void {
  const shown = JSON.stringify([...counts]);
  const failed = counts.get(failure) ?? 0;
  assert.equal((counts.get('OK') ?? 0) + failed, total, shown);
  const bound = 3 * Math.sqrt((rate * (1 - rate)) / total);
  assert.ok(Math.abs(failed / total - rate) <= bound, `${failure} share ${failed / total}: ${shown}`);
}
