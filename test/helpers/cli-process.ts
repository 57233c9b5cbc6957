// Runs the real `kxds` CLI as a child process (on the Node that runs the tests) and collects its JSON logs.
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export const KXDS_BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'kxds.js');

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface KxdsProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Waits until a log line satisfies the predicate. */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): void;
}

export function runKxds(args: string[], env: NodeJS.ProcessEnv = {}): KxdsProcess {
  const child = spawn(process.execPath, [KXDS_BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  let buffered = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
    listeners.forEach((l) => l());
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    stderr,
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
    waitForLog(predicate, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = logs.find(predicate);
          if (found) {
            listeners.delete(listener);
            clearTimeout(timer);
            resolve(found);
          }
          return Boolean(found);
        };
        const listener = (): void => void check();
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`log line not seen within ${timeoutMs} ms; stderr: ${stderr.join('')}`));
        }, timeoutMs);
        listeners.add(listener);
        check();
      });
    },
  };
}

/** A `kxds serve` child listening where the OS put it. */
export interface ServingKxds {
  kxds: KxdsProcess;
  xdsAddress: string;
  adminAddress: string;
}

/**
 * `kxds serve ARGS` with its xDS and admin ports chosen by the OS (port 0), returned once its `kxds started`
 * line says where it listens. Unlike taking a free port first and passing it on, no other test can grab the
 * port in between. Rejects, with the child's stderr, if kxds exits first.
 */
export async function serveOnFreePorts(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<ServingKxds> {
  const kxds = runKxds(
    ['serve', '--xds-address', '127.0.0.1:0', '--admin-address', '127.0.0.1:0', ...args],
    env,
  );
  const started = await Promise.race([
    kxds.waitForLog((l) => l.msg === 'kxds started', timeoutMs),
    kxds.exited.then((code) => {
      throw new Error(`kxds serve exited (${code}) before it started: ${kxds.stderr.join('')}`);
    }),
  ]);
  return {
    kxds,
    xdsAddress: `127.0.0.1:${Number(started.xdsPort)}`,
    adminAddress: `127.0.0.1:${Number(started.adminPort)}`,
  };
}

/**
 * Polls until the URL answers `status`. The default is generous: a kxds child process on a loaded 2-core
 * CI machine has been seen to take over 15 s from spawn to ready.
 */
export async function waitForHttp(url: string, status = 200, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === status) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface KxdsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one short `kxds` command to completion, feeding it `input` on standard input; killed after timeoutMs. */
export function runKxdsToEnd(args: string[], input = '', timeoutMs = 30000): Promise<KxdsRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KXDS_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
