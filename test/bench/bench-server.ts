// A kxds control plane inside a benchmark scenario process, plus the bookkeeping that turns server-side
// ACK events into convergence times: every build gets an index, every EndpointSlice change is attributed
// to the first build after it, and a stream has converged on a change when it ACKs that build's EDS
// version (or a later one). With `app`, the whole of `kxds serve` runs (startApp: metrics, convergence
// tracking, CSDS, the status page, all attached to the stream events), not only the pipeline and the xDS port.
import { Pipeline, type BuildReport } from '../../src/pipeline';
import { XdsServer } from '../../src/server/xds-server';
import { groupForNode } from '../../src/server/groups';
import type { StreamEvents } from '../../src/server/sotw-stream';
import { SnapshotCache } from '../../src/xds/cache';
import { silentLogger } from '../../src/log';
import { startApp, type App } from '../../src/app';
import type { WatchedObject } from '../../src/model/k8s';
import { SubjectSource } from '../helpers/subject-source';
import { nowMs } from './stats';

/** The fleet connects all at once on purpose: the production new-stream rate limit would meter it. */
const FLEET_LIMITS = { newStreamsPerSecond: 0 };

export interface BenchServerOptions {
  objects: WatchedObject[];
  group: string;
  debounceMs?: number;
  maxWaitMs?: number;
  /** Run the whole app (startApp) instead of a bare pipeline and xDS server. */
  app?: boolean;
}

interface Change {
  at: number;
  build?: number;
}

export class BenchServer {
  readonly source = new SubjectSource();
  address = '';
  builds = 0;
  responses = 0;
  private readonly buildOfVersion = new Map<string, number>();
  private readonly changes: Change[] = [];
  /** node id -> [build index, ack time] in arrival order. */
  private readonly acks = new Map<string, [number, number][]>();
  private stopServer: () => Promise<void> = async () => {};
  /** Counts responses and records, per stream, each ACK of a build's EDS version. */
  private readonly events: StreamEvents = {
    onResponse: () => this.responses++,
    onAck: (info, kind, version) => {
      if (kind !== 'endpoint') return;
      const build = this.buildOfVersion.get(version);
      if (build === undefined) return;
      let list = this.acks.get(info.id);
      if (!list) this.acks.set(info.id, (list = []));
      list.push([build, nowMs()]);
    },
  };

  constructor(private readonly options: BenchServerOptions) {}

  async start(): Promise<void> {
    for (const o of this.options.objects) this.source.upsert(o);
    this.source.synced();
    const timing = { debounceMs: this.options.debounceMs ?? 100, maxWaitMs: this.options.maxWaitMs ?? 1000 };
    if (this.options.app) {
      const app: App = await startApp({
        source: this.source,
        logger: silentLogger,
        xdsAddress: '127.0.0.1:0',
        adminAddress: '127.0.0.1:0',
        ...timing,
        xdsLimits: FLEET_LIMITS,
      });
      app.pipeline.builds().subscribe((report) => this.onBuild(report));
      app.streamEvents.add(this.events);
      this.address = `127.0.0.1:${app.xdsPort}`;
      this.stopServer = () => app.stop(2000);
      await app.pipeline.whenReady();
      return;
    }
    const cache = new SnapshotCache();
    const pipeline = new Pipeline({ source: this.source, cache, logger: silentLogger, ...timing });
    const server = new XdsServer({
      cache,
      logger: silentLogger,
      groupOf: groupForNode,
      events: this.events,
      limits: FLEET_LIMITS,
    });
    pipeline.builds().subscribe((report) => this.onBuild(report));
    const port = await server.listen('127.0.0.1:0');
    this.address = `127.0.0.1:${port}`;
    this.stopServer = async () => {
      await server.shutdown(1000);
      pipeline.stop();
    };
    await pipeline.whenReady();
  }

  /** Numbers the build and attributes to it the changes made since the previous one. */
  private onBuild(report: BuildReport): void {
    this.builds++;
    const version = report.snapshots.get(this.options.group)?.types.endpoint.version;
    if (version !== undefined && !this.buildOfVersion.has(version))
      this.buildOfVersion.set(version, this.builds);
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const change = this.changes[i] as Change;
      if (change.build !== undefined) break;
      change.build = this.builds;
    }
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
    await this.stopServer();
  }
}
