// A kxds control plane inside a benchmark scenario process, its ACK events fed to a ConvergenceLog (every
// build gets an index, every change is attributed to the first build after it, a stream has converged on a
// change when it ACKs that build's EDS version or a later one). With `app`, the whole of `kxds serve` runs (startApp: metrics, convergence
// tracking, CSDS, the status page, all attached to the stream events), not only the pipeline and the xDS port.
import { Pipeline, type BuildReport } from '../../src/pipeline';
import { XdsServer } from '../../src/server/xds-server';
import { groupForNode } from '../../src/server/groups';
import type { StreamEvents } from '../../src/server/sotw-stream';
import { SnapshotCache } from '../../src/xds/cache';
import { silentLogger } from '../../src/log';
import { startApp, type App } from '../../src/app';
import type { WatchedObject } from '../../src/model/k8s';
import type { ResourceKind } from '../../src/xds/types';
import type { Snapshot } from '../../src/xds/snapshot';
import type { Source } from '../../src/sources/source';
import { SubjectSource } from '../helpers/subject-source';
import { ConvergenceLog } from './convergence-log';

/** The fleet connects all at once on purpose: the production new-stream rate limit would meter it. */
const FLEET_LIMITS = { newStreamsPerSecond: 0 };

export interface BenchServerOptions {
  /** What the in-memory source holds at start (ignored with `source`). */
  objects: WatchedObject[];
  /** Another source instead (e.g. a ManifestSource on a directory the scenario writes into). */
  source?: Source;
  group: string;
  debounceMs?: number;
  maxWaitMs?: number;
  /** Run the whole app (startApp) instead of a bare pipeline and xDS server. */
  app?: boolean;
  /** The kind whose ACKed version counts as converged (default: endpoint). */
  ackedKind?: ResourceKind;
}

export class BenchServer {
  private readonly subject = new SubjectSource();
  private pipeline: Pipeline | undefined;
  address = '';
  responses = 0;
  readonly log = new ConvergenceLog();
  private stopServer: () => Promise<void> = async () => {};
  /** Counts responses and records, per stream, each ACK of a build's version of the tracked kind. */
  private readonly events: StreamEvents = {
    onResponse: () => this.responses++,
    onAck: (info, kind, version) => {
      if (kind === (this.options.ackedKind ?? 'endpoint')) this.log.ack(info.id, version);
    },
  };

  constructor(private readonly options: BenchServerOptions) {}

  async start(): Promise<void> {
    if (!this.options.source) {
      for (const o of this.options.objects) this.subject.upsert(o);
      this.subject.synced();
    }
    const source = this.options.source ?? this.subject;
    const timing = { debounceMs: this.options.debounceMs ?? 100, maxWaitMs: this.options.maxWaitMs ?? 1000 };
    if (this.options.app) {
      const app: App = await startApp({
        source,
        logger: silentLogger,
        xdsAddress: '127.0.0.1:0',
        adminAddress: '127.0.0.1:0',
        ...timing,
        xdsLimits: FLEET_LIMITS,
      });
      app.pipeline.builds().subscribe((report) => this.onBuild(report));
      this.pipeline = app.pipeline;
      app.streamEvents.add(this.events);
      this.address = `127.0.0.1:${app.xdsPort}`;
      this.stopServer = () => app.stop(2000);
      await app.pipeline.whenReady();
      return;
    }
    const cache = new SnapshotCache();
    const pipeline = new Pipeline({ source, cache, logger: silentLogger, ...timing });
    this.pipeline = pipeline;
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

  /** The snapshots served now, by group key. */
  snapshots(): ReadonlyMap<string, Snapshot> {
    return this.pipeline?.snapshotsNow() ?? new Map();
  }

  get builds(): number {
    return this.log.builds;
  }

  /** Numbers the build and attributes to it the changes made since the previous one. */
  private onBuild(report: BuildReport): void {
    const snapshot = report.snapshots.get(this.options.group);
    this.log.build(snapshot?.types[this.options.ackedKind ?? 'endpoint'].version);
  }

  /** Applies a change now and remembers when, for convergence. Returns its index. */
  change(object: WatchedObject): number {
    const index = this.log.change();
    this.subject.upsert(object);
    return index;
  }

  latencies(change: number): number[] {
    return this.log.latencies(change);
  }

  changeCount(): number {
    return this.log.changeCount();
  }

  waitConverged(change: number, streams: number, timeoutMs: number): Promise<boolean> {
    return this.log.waitConverged(change, streams, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.stopServer();
  }
}
