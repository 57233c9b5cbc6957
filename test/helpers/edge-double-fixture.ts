// End-to-end edge tests through the Envoy test double: the real `kxds serve --manifests` process on a
// temporary manifest directory, Kubernetes objects written as files (JSON documents, which YAML reads),
// an Envoy double connected as the edge, and a small HTTP client for asserting what came back.
import type { TestContext } from 'node:test';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveOnFreePorts, waitForHttp, type KxdsProcess } from './cli-process';
import { startEnvoyDouble, type EnvoyDouble, type EnvoyDoubleOptions } from '../envoy-double';

export interface EdgeRun {
  dir: string;
  kxds: KxdsProcess;
  xdsAddress: string;
  adminAddress: string;
  /** Writes (or replaces) one manifest file of the directory. */
  write(file: string, objects: readonly object[]): Promise<void>;
}

export async function writeManifest(dir: string, file: string, objects: readonly object[]): Promise<void> {
  const text = objects.map((o) => JSON.stringify(o)).join('\n---\n');
  // Write then rename, so the watcher never reads half a file.
  const tmp = path.join(dir, `.${file}.tmp`);
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, path.join(dir, file));
}

/**
 * kxds serving a manifest directory that starts with `files` (added to `options.dir` when given: one
 * another helper wrote), with `options.args` added to `kxds serve`; stopped, and the directory removed,
 * when the test ends.
 */
export async function startKxdsOnManifests(
  t: TestContext,
  files: Record<string, readonly object[]>,
  options: { dir?: string; args?: readonly string[] } = {},
): Promise<EdgeRun> {
  const dir = options.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'kxds-edge-double-')));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const [file, objects] of Object.entries(files)) await writeManifest(dir, file, objects);
  const { kxds, xdsAddress, adminAddress } = await serveOnFreePorts([
    '--manifests',
    dir,
    '--debounce',
    '20',
    '--max-wait',
    '200',
    ...(options.args ?? []),
  ]);
  t.after(() => kxds.kill('SIGKILL'));
  await waitForHttp(`http://${adminAddress}/readyz`);
  return {
    dir,
    kxds,
    xdsAddress,
    adminAddress,
    write: (file, objects) => writeManifest(dir, file, objects),
  };
}

/** An Envoy double on the run's xDS port, ready, closed when the test ends. */
export async function startEdgeDouble(
  t: TestContext,
  run: EdgeRun,
  options: Partial<EnvoyDoubleOptions> = {},
): Promise<EnvoyDouble> {
  const envoy = await startEnvoyDouble({ xdsAddress: run.xdsAddress, ...options });
  t.after(() => envoy.close());
  await envoy.ready();
  return envoy;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP/1.1 request on a fresh connection to 127.0.0.1:port with the given Host. */
export function request(
  port: number,
  host: string,
  urlPath: string,
  headers: http.OutgoingHttpHeaders = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method,
        headers: { host, ...headers },
        agent: false,
        timeout: 10_000,
      },
      (res) => collectReply(res, resolve),
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${host}${urlPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * One HTTPS GET on a fresh connection to 127.0.0.1:port: SNI `servername`, Host `host`, verified with `ca`;
 * without a servername no SNI is sent (the chain is still verified). `options.client`: a client certificate
 * to send; `options.headers`: more request headers.
 */
export function httpsGet(
  port: number,
  servername: string | undefined,
  host: string,
  urlPath: string,
  ca: string,
  options: { client?: { certPem: string; keyPem: string }; headers?: http.OutgoingHttpHeaders } = {},
): Promise<Reply> {
  const client = options.client;
  const identity = servername ? { servername } : { servername: '', checkServerIdentity: () => undefined };
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        ...identity,
        ca,
        ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
        headers: { host, ...options.headers },
        agent: false,
        timeout: 10_000,
      },
      (res) => collectReply(res, resolve),
    );
    req.on('timeout', () => req.destroy(new Error(`HTTPS request to ${host}${urlPath} timed out`)));
    req.on('error', reject);
  });
}

function collectReply(res: http.IncomingMessage, resolve: (reply: Reply) => void): void {
  let body = '';
  res.on('data', (c: Buffer) => (body += c.toString()));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
}
