// A real Envoy as the edge, configured by kxds over ADS: plain HTTP by Host, gRPC (h2c) by path, TLS with
// SNI and ALPN h2 from an SDS secret, and the HTTP -> HTTPS redirect. Needs an `envoy` binary on PATH;
// without one the test reports itself skipped with the reason (the golden tests still check every resource).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pipeline } from '../../src/pipeline';
import { XdsServer } from '../../src/server/xds-server';
import { SnapshotCache } from '../../src/xds/cache';
import { silentLogger } from '../../src/log';
import { groupForNode } from '../../src/server/groups';
import { greeterClient, sayHello } from '../../src/demo/greeter';
import type { Ingress, IngressClass, Secret } from '../../src/model/k8s';
import { SubjectSource } from '../helpers/subject-source';
import { startBackends } from '../helpers/greeters';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { parseCase } from '../golden/golden-case';
import { buildBootstrap, envoyBootstrapJson } from '../../src/bootstrap';

const ENVOY = 'envoy';
const TLS_HOST = 'foo.example.com';

function envoyAvailable(): boolean {
  const probe = spawnSync(ENVOY, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The bootstrap `kxds bootstrap --role edge` prints, pointed at the in-process control plane. Its health
 * listener binds every interface in a pod; here it is moved to loopback like everything else in tests.
 */
function edgeBootstrap(xdsPort: number, adminPort: number, healthPort: number): object {
  const bootstrap = buildBootstrap({
    role: 'edge',
    xdsServer: `127.0.0.1:${xdsPort}`,
    nodeId: 'edge-e2e',
    adminPort,
    healthPort,
  });
  for (const listener of bootstrap.static_resources?.listeners ?? []) {
    if (listener.address?.socket_address) listener.address.socket_address.address = '127.0.0.1';
  }
  return envoyBootstrapJson(bootstrap);
}

function startEnvoy(t: TestContext, bootstrap: object): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'kxds-envoy-'));
  const file = join(dir, 'bootstrap.json');
  writeFileSync(file, JSON.stringify(bootstrap));
  const envoy = spawn(ENVOY, ['-c', file, '--disable-hot-restart', '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  envoy.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  t.after(() => {
    envoy.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    if (envoy.exitCode !== null && envoy.exitCode !== 0) console.error(`envoy stderr:\n${stderr}`);
  });
  return envoy;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function httpGet(port: number, host: string, path: string): Promise<Reply> {
  return new Promise((resolveReply, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host }, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolveReply({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function httpsGet(port: number, host: string, path: string): Promise<Reply> {
  return new Promise((resolveReply, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: host,
        headers: { host },
        rejectUnauthorized: false,
        timeout: 3000,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolveReply({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** An HTTP/2 request over TLS: proves ALPN offered h2 and the chain picked by SNI answers. */
function h2Get(port: number, host: string, path: string): Promise<{ status: number; alpn: string | false }> {
  return new Promise((resolveReply, reject) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, {
      servername: host,
      rejectUnauthorized: false,
    });
    session.on('error', reject);
    const req = session.request({ ':path': path, ':authority': host });
    req.setTimeout(3000, () => {
      session.destroy();
      reject(new Error('HTTP/2 request timed out'));
    });
    req.on('response', (headers) => {
      const status = Number(headers[':status']);
      const alpn = session.alpnProtocol ?? false;
      req.resume();
      req.on('end', () => {
        session.close();
        resolveReply({ status, alpn });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Retries until the check passes: Envoy needs a moment to fetch and warm its config. */
async function eventually<T>(
  what: string,
  attempt: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (ok(value)) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${what} did not succeed within ${ms} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
  );
}

function tlsSecretFromGolden(): Secret {
  const text = readFileSync(resolve(__dirname, '../../../test/golden/tls-basic.in.yaml'), 'utf8');
  const secret = parseCase(text).objects.find((o): o is Secret => o.kind === 'Secret');
  assert.ok(secret, 'tls-basic.in.yaml holds the foo-tls Secret');
  return secret;
}

test('a real Envoy serves HTTP, gRPC and TLS through kxds edge config', { timeout: 90_000 }, async (t) => {
  if (!envoyAvailable()) {
    t.skip(
      'envoy not on PATH: install Envoy (https://www.envoyproxy.io/docs/envoy/latest/start/install) to run this test',
    );
    return;
  }
  const greeters = await startBackends(['127.0.0.2', '127.0.0.3']);
  t.after(() => greeters.stop());
  const web = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, host: req.headers.host }));
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.4', r));
  t.after(() => web.close());
  const webPort = (web.address() as net.AddressInfo).port;

  const [httpPort, httpsPort, adminPort, healthPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const ingressClass: IngressClass = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'kxds' },
    spec: { controller: 'kxds.io/ingress-controller' },
  };
  const ingress: Ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'edge', namespace: 'demo' },
    spec: {
      ingressClassName: 'kxds',
      tls: [{ hosts: [TLS_HOST], secretName: 'foo-tls' }],
      rules: [
        {
          host: 'web.test',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
        {
          host: TLS_HOST,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
        {
          http: {
            paths: [
              {
                path: '/helloworld.Greeter',
                pathType: 'Prefix',
                backend: { service: { name: 'greeter', port: { name: 'grpc' } } },
              },
            ],
          },
        },
      ],
    },
  };
  const source = new SubjectSource();
  source.upsert(
    ingressClass,
    ingress,
    tlsSecretFromGolden(),
    service('demo', 'web', [{ name: 'http', port: 80 }]),
    endpointSlice('demo', 'web', 'web-1', [{ name: 'http', port: webPort }], [{ ip: '127.0.0.4' }]),
    service('demo', 'greeter', [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }]),
    endpointSlice(
      'demo',
      'greeter',
      'greeter-1',
      [{ name: 'grpc', port: greeters.port }],
      [{ ip: '127.0.0.2' }, { ip: '127.0.0.3' }],
    ),
  );
  source.synced();
  const cache = new SnapshotCache();
  const pipeline = new Pipeline({
    source,
    cache,
    logger: silentLogger,
    debounceMs: 20,
    maxWaitMs: 200,
    translateOptions: { edgeHttpPort: httpPort, edgeHttpsPort: httpsPort, edgeAddress: '127.0.0.1' },
  });
  const server = new XdsServer({ cache, logger: silentLogger, groupOf: groupForNode });
  const xdsPort = await server.listen('127.0.0.1:0');
  t.after(async () => {
    await server.shutdown(1000);
    pipeline.stop();
    await source.stop();
  });
  await pipeline.whenReady();
  startEnvoy(t, edgeBootstrap(xdsPort, adminPort, healthPort));

  const plain = await eventually(
    'HTTP by Host',
    () => httpGet(httpPort, 'web.test', '/hello'),
    (r) => r.status === 200,
  );
  assert.deepEqual(JSON.parse(plain.body), { path: '/hello', host: 'web.test' });

  const unknown = await httpGet(httpPort, 'nobody.test', '/');
  assert.equal(unknown.status, 404, 'a host no Ingress names gets 404 from the edge');

  const redirect = await httpGet(httpPort, TLS_HOST, '/secure?x=1');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, `https://${TLS_HOST}/secure?x=1`);

  const secure = await eventually(
    'HTTPS by SNI',
    () => httpsGet(httpsPort, TLS_HOST, '/tls'),
    (r) => r.status === 200,
  );
  assert.deepEqual(JSON.parse(secure.body), { path: '/tls', host: TLS_HOST });
  const h2 = await h2Get(httpsPort, TLS_HOST, '/h2');
  assert.deepEqual(h2, { status: 200, alpn: 'h2' });

  // gRPC over h2c on the HTTP port, balanced per request across both greeters.
  const client = greeterClient(`127.0.0.1:${httpPort}`);
  t.after(() => client.close());
  await eventually(
    'first gRPC call',
    () => sayHello(client, 'edge', 2000),
    () => true,
  );
  const servedBy = new Set<string>();
  for (let i = 0; i < 40; i++) servedBy.add((await sayHello(client, `n${i}`)).served_by);
  assert.deepEqual([...servedBy].sort(), ['127.0.0.2', '127.0.0.3']);
});
