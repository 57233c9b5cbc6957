// The example app on loopback: three greeter "pods", kxds in-process, and the example client going
// proxyless through a bootstrap file printed by `kxds bootstrap --role proxyless`, as its Deployment does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createLogger } from '../../src/log';
import { bootstrapText } from '../../src/commands/bootstrap-text';
import { runGreeterServer, type GreeterServer } from '../../src/demo/greeter-server';
import { runGreeterClient } from '../../src/demo/greeter-client';
import { silentLogger } from '../../src/log';
import { greeterService } from '../../src/demo/greeter';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { greeterObjects } from '../helpers/k8s-fixtures';

const POD_IPS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];

function logCapture(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

test('the example client, proxyless via xDS, logs calls spread over all three greeter pods', async (t) => {
  const servers: GreeterServer[] = [];
  t.after(() => Promise.all(servers.map((s) => s.stop())));
  const first = await runGreeterServer(`${POD_IPS[0]}:0`, 'greeter-0', silentLogger);
  servers.push(first);
  for (const [i, ip] of POD_IPS.slice(1).entries())
    servers.push(await runGreeterServer(`${ip}:${first.port}`, `greeter-${i + 1}`, silentLogger));

  const source = new SubjectSource();
  source.upsert(...greeterObjects(first.port, POD_IPS));
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();

  // What the proxyless client's init container does: `kxds bootstrap --role proxyless --output json`.
  const bootstrapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-demo-')), 'bootstrap.json');
  fs.writeFileSync(
    bootstrapFile,
    bootstrapText(
      { role: 'proxyless', xdsServer: cp.address, output: 'json' },
      { KXDS_POD_NAME: 'client-proxyless-0', KXDS_POD_NAMESPACE: 'demo' },
    ),
  );
  process.env.GRPC_XDS_BOOTSTRAP = bootstrapFile;

  const { logger, lines } = logCapture();
  const spread = await runGreeterClient({
    target: 'xds:///greeter.demo.svc.cluster.local:50051',
    intervalMs: 1,
    count: 90,
    signal: AbortSignal.timeout(30_000),
    logger,
  });
  for (const pod of ['greeter-0', 'greeter-1', 'greeter-2'])
    assert.ok((spread.get(pod) ?? 0) >= 15, `${pod}: ${JSON.stringify([...spread])}`);
  const answered = lines.filter((line) => line.msg === 'greeter answered');
  assert.equal(answered.length, 90);
  assert.deepEqual(new Set(answered.map((line) => line.served_by)), new Set(spread.keys()));
});

test('the example client sends the authority it is given (Ingress host, or Service name via a sidecar)', async (t) => {
  const hosts: string[] = [];
  const { server, port } = await recordingGreeter(hosts);
  t.after(() => server.forceShutdown());
  const spread = await runGreeterClient({
    target: `127.0.0.1:${port}`,
    authority: 'greeter.demo.svc.cluster.local:50051',
    intervalMs: 1,
    count: 3,
    signal: AbortSignal.timeout(10_000),
    logger: silentLogger,
  });
  assert.deepEqual([...spread], [['recorder', 3]]);
  assert.deepEqual(hosts, Array(3).fill('greeter.demo.svc.cluster.local:50051'));
});

test('the example client logs failed calls and keeps going until stopped', async () => {
  const { logger, lines } = logCapture();
  const abort = new AbortController();
  const done = runGreeterClient({
    target: '127.0.0.1:1',
    intervalMs: 10,
    callTimeoutMs: 200,
    signal: abort.signal,
    logger,
  });
  while (lines.filter((line) => line.msg === 'call failed').length < 2)
    await new Promise((r) => setTimeout(r, 20));
  abort.abort();
  assert.deepEqual([...(await done)], []);
});

/** A greeter that records the :authority of each call (what Envoy routes on). */
async function recordingGreeter(hosts: string[]): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  server.addService(greeterService().service, {
    SayHello: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      hosts.push(call.getHost());
      callback(null, { message: 'hi', served_by: 'recorder' });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { server, port };
}
