// A kxds control plane inside a benchmark scenario process, plus the bookkeeping that turns server-side
// ACK events into convergence times: every build gets an index, every EndpointSlice change is attributed
// to the first build after it, and a stream has converged on a change when it ACKs that build's EDS
// version (or a later one).
import { Pipeline } from '../../src/pipeline';
import { XdsServer } from '../../src/server/xds-server';
import { groupForNode } from '../../src/server/groups';
import { SnapshotCache } from '../../src/xds/cache';
import { silentLogger } from '../../src/log';
import type { WatchedObject } from '../../src/model/k8s';
import { SubjectSource } from '../helpers/subject-source';
import { nowMs } from './stats';

export interface BenchServerOptions {
  objects: WatchedObject[];
  group: string;
  debounceMs?: number;
  maxWaitMs?: number;
}

interface Change {
  at: number;
  build?: number;
}

export class BenchServer {
  readonly source = new SubjectSource();
  readonly cache = new SnapshotCache();
  readonly pipeline: Pipeline;
  readonly server: XdsServer;
  address = '';
  builds = 0;
  responses = 0;
  private readonly buildOfVersion = new Map<string, number>();
  private readonly changes: Change[] = [];
  /** node id -> [build index, ack time] in arrival order. */
  private readonly acks = new Map<string, [number, number][]>();

  constructor(private readonly options: BenchServerOptions) {
    this.pipeline = new Pipeline({
      source: this.source,
      cache: this.cache,
      logger: silentLogger,
      debounceMs: options.debounceMs ?? 100,
      maxWaitMs: options.maxWaitMs ?? 1000,
    });
    this.pipeline.builds().subscribe((report) => {
      this.builds++;
      const version = report.snapshots.get(options.group)?.types.endpoint.version;
      if (version !== undefined && !this.buildOfVersion.has(version))
        this.buildOfVersion.set(version, this.builds);
      for (let i = this.changes.length - 1; i >= 0; i--) {
        const change = this.changes[i] as Change;
        if (change.build !== undefined) break;
        change.build = this.builds;
      }
    });
    this.server = new XdsServer({
      cache: this.cache,
      logger: silentLogger,
      groupOf: groupForNode,
      // The fleet connects all at once on purpose: the production new-stream rate limit would meter it.
      limits: { newStreamsPerSecond: 0 },
      events: {
        onResponse: () => this.responses++,
        onAck: (info, kind, version) => {
          if (kind !== 'endpoint') return;
          const build = this.buildOfVersion.get(version);
          if (build === undefined) return;
          let list = this.acks.get(info.id);
          if (!list) this.acks.set(info.id, (list = []));
          list.push([build, nowMs()]);
        },
      },
    });
  }

  async start(): Promise<void> {
    for (const o of this.options.objects) this.source.upsert(o);
    this.source.synced();
    const port = await this.server.listen('127.0.0.1:0');
    this.address = `127.0.0.1:${port}`;
    await this.pipeline.whenReady();
  }

  /** Applies a change now and remembers when, for convergence. Returns its index. */
  change(object: WatchedObject): number {
    this.changes.push({ at: nowMs() });
    this.source.upsert(object);
    return this.changes.length - 1;
  }

  /** Streams (by ACK) that have converged on the change. */
  convergedStreams(change: number): number {
    const build = this.changes[change]?.build;
    if (build === undefined) return 0;
    let n = 0;
    for (const list of this.acks.values()) if (list.some(([b]) => b >= build)) n++;
    return n;
  }

  /** Per stream, ms from the change to its first ACK of a build that includes it (missing streams skipped). */
  latencies(change: number): number[] {
    const c = this.changes[change];
    if (!c || c.build === undefined) return [];
    const out: number[] = [];
    for (const list of this.acks.values()) {
      const hit = list.find(([b]) => b >= (c.build as number));
      if (hit) out.push(hit[1] - c.at);
    }
    return out;
  }

  changeCount(): number {
    return this.changes.length;
  }

  async waitConverged(change: number, streams: number, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.convergedStreams(change) >= streams) return true;
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }

  async stop(): Promise<void> {
    await this.server.shutdown(1000);
    this.pipeline.stop();
  }
}
