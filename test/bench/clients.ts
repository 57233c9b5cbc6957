// Starts benchmark client processes and talks to them: open streams, read and reset their counters.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Protocol, WorkerCommand, WorkerReply, WorkerStats } from './worker-protocol';

export interface ClientFleetOptions {
  address: string;
  protocol: Protocol;
  role: string;
  streams: number;
  edsNames: string[];
  routeNames?: string[];
  followClusters?: boolean;
  metadata?: Record<string, string>;
  /** Streams per worker process. */
  perWorker?: number;
  nodePrefix?: string;
}

export class ClientFleet {
  private constructor(private readonly workers: ChildProcess[]) {}

  static start(options: ClientFleetOptions): ClientFleet {
    const perWorker = options.perWorker ?? 500;
    const count = Math.max(1, Math.ceil(options.streams / perWorker));
    const workers: ChildProcess[] = [];
    for (let w = 0; w < count; w++) {
      const first = w * perWorker;
      const n = Math.min(perWorker, options.streams - first);
      const child = fork(path.join(__dirname, 'client-worker.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const cmd: WorkerCommand = {
        type: 'open',
        address: options.address,
        protocol: options.protocol,
        role: options.role,
        nodePrefix: options.nodePrefix ?? `${options.protocol}-w${w}`,
        firstIndex: first,
        count: n,
        edsNames: options.edsNames,
        ...(options.routeNames ? { routeNames: options.routeNames } : {}),
        ...(options.metadata ? { metadata: options.metadata } : {}),
        ...(options.followClusters ? { followClusters: true } : {}),
      };
      child.send(cmd);
      workers.push(child);
    }
    return new ClientFleet(workers);
  }

  async stats(): Promise<WorkerStats> {
    const all = await Promise.all(
      this.workers.map((w) =>
        this.ask<Extract<WorkerReply, { type: 'stats' }>>(w, { type: 'stats' }, 'stats'),
      ),
    );
    const total: WorkerStats = { streams: 0, ready: 0, responses: 0, bytes: 0, errors: 0, errorMessages: [] };
    for (const { stats } of all) {
      total.streams += stats.streams;
      total.ready += stats.ready;
      total.responses += stats.responses;
      total.bytes += stats.bytes;
      total.errors += stats.errors;
      for (const m of stats.errorMessages) if (!total.errorMessages.includes(m)) total.errorMessages.push(m);
    }
    return total;
  }

  async resetCounters(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.ask(w, { type: 'reset' }, 'reset-done')));
  }

  /**
   * Resolves once every stream got its first EDS response, or every stream either did or failed (the
   * caller reports failed streams), or rejects after timeoutMs.
   */
  async waitReady(streams: number, timeoutMs: number): Promise<WorkerStats> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.stats();
      if (s.ready >= streams || (s.ready > 0 && s.ready + s.errors >= streams)) return s;
      if (Date.now() > until)
        throw new Error(
          `only ${s.ready}/${streams} streams ready after ${timeoutMs} ms (${s.errors} errors)`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null) return resolve();
            w.once('exit', () => resolve());
            w.send({ type: 'close' } satisfies WorkerCommand);
            setTimeout(() => w.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
  }

  private ask<R extends WorkerReply>(
    worker: ChildProcess,
    cmd: WorkerCommand,
    replyType: R['type'],
  ): Promise<R> {
    return new Promise((resolve) => {
      const onMessage = (msg: WorkerReply): void => {
        if (msg.type !== replyType) return;
        worker.off('message', onMessage);
        resolve(msg as R);
      };
      worker.on('message', onMessage);
      worker.send(cmd);
    });
  }
}
