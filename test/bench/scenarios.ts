// The benchmark scenarios B1-B5 (issue 8). Each runs in a fresh process (see scenario-main.ts) so peak RSS
// and CPU belong to that scenario alone; client streams live in separate worker processes.
import { envoyRoot, lookupType } from '../../src/xds/protos';
import { MESSAGE_NAME, type ResourceKind } from '../../src/xds/types';
import { Pipeline } from '../../src/pipeline';
import { SnapshotCache } from '../../src/xds/cache';
import { silentLogger } from '../../src/log';
import { SubjectSource } from '../helpers/subject-source';
import { BenchServer } from './bench-server';
import { ReferenceServer } from './reference-server';
import type { EndpointSlice } from '../../src/model/k8s';
import { ClientFleet } from './clients';
import { benchClusterName, benchObjects, benchSlice } from './fixtures';
import { cpuSeconds, gcNow, nowMs, percentile, round, sleep } from './stats';
import type { Protocol } from './worker-protocol';

export type ScenarioResult = Record<string, unknown>;

/** What the fan-out scenario needs of a server: kxds (BenchServer) or the reference. */
interface FanOutServer {
  readonly address: string;
  start(): Promise<void>;
  change(slice: EndpointSlice): number;
  waitConverged(change: number, streams: number, timeoutMs: number): Promise<boolean>;
  latencies(change: number): number[];
  stop(): Promise<void>;
}

/** The group a role's streams are served from. */
const GROUP_OF_ROLE: Record<string, string> = { proxyless: 'proxyless', edge: 'edge' };

/** B1: cold start to the first complete snapshot, beside the floor (protobufjs encoding alone). */
export async function coldStart(p: { services: number }): Promise<ScenarioResult> {
  const objects = benchObjects(p.services, 2, true);
  envoyRoot(); // loading the .proto files is process start-up, not snapshot building
  gcNow();
  const rssInputs = process.memoryUsage().rss;
  const source = new SubjectSource();
  const cache = new SnapshotCache();
  const started = nowMs();
  const cpu = process.cpuUsage();
  const pipeline = new Pipeline({ source, cache, logger: silentLogger });
  for (const o of objects) source.upsert(o);
  source.synced();
  await pipeline.whenReady();
  const seconds = (nowMs() - started) / 1000;
  const cpuS = cpuSeconds(cpu);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  pipeline.stop();

  // The floor: encoding the very same typed objects with plain protobufjs, nothing else.
  const values: [ResourceKind, object][] = [];
  for (const snapshot of pipeline.snapshotsNow().values())
    for (const kind of Object.keys(snapshot.types) as ResourceKind[])
      for (const r of snapshot.types[kind].resources.values()) values.push([kind, r.value]);
  const floorStart = nowMs();
  let bytes = 0;
  for (const [kind, value] of values) {
    const type = lookupType(MESSAGE_NAME[kind]);
    bytes += type.encode(type.fromObject(value)).finish().length;
  }
  const floorSeconds = (nowMs() - floorStart) / 1000;
  return {
    services: p.services,
    objects: objects.length,
    resources: values.length,
    encodedMB: round(bytes / 1e6, 2),
    firstSnapshotS: round(seconds, 2),
    cpuS: round(cpuS, 2),
    floorEncodeS: round(floorSeconds, 2),
    peakRssMB: round(peakRss / 1e6, 0),
    inputsRssMB: round(rssInputs / 1e6, 0),
  };
}

/**
 * B2: many streams; time from one EndpointSlice change to each stream's ACK; memory per stream; CPU. Edge
 * streams need Ingresses (one per Service) to be sent any cluster. `app` runs the whole of `kxds serve`
 * (metrics and convergence tracking included), as issue 18's benchmark does.
 */
export async function fanOut(p: {
  streams: number;
  protocol: Protocol;
  role: string;
  services: number;
  changes: number;
  app?: boolean;
  /** 'reference': the minimal encode-once server (reference-server.ts) with the same clients and change. */
  server?: 'kxds' | 'reference';
}): Promise<ScenarioResult> {
  const group = GROUP_OF_ROLE[p.role] ?? 'proxyless';
  const reference = p.server === 'reference';
  const server: FanOutServer = reference
    ? new ReferenceServer(p.services, 2)
    : new BenchServer({
        objects: benchObjects(p.services, 2, p.role === 'edge'),
        group,
        app: p.app === true,
      });
  await server.start();
  const edsNames = Array.from({ length: p.services }, (_, i) => benchClusterName(i));
  gcNow();
  await sleep(200);
  gcNow();
  const rssBefore = process.memoryUsage().rss;
  const connectStart = nowMs();
  const cpuConnect = process.cpuUsage();
  const fleet = ClientFleet.start({
    address: server.address,
    protocol: p.protocol,
    role: p.role,
    streams: p.streams,
    edsNames,
  });
  try {
    const sync = await fleet.waitReady(p.streams, Math.max(180_000, p.streams * 60));
    const live = sync.ready;
    const syncSeconds = (nowMs() - connectStart) / 1000;
    const syncCpu = cpuSeconds(cpuConnect);
    await sleep(500);
    gcNow();
    await sleep(200);
    gcNow();
    const rssAfter = process.memoryUsage().rss;
    await fleet.resetCounters();
    const latencies: number[] = [];
    const lastAck: number[] = [];
    let missed = 0;
    const cpu = process.cpuUsage();
    for (let c = 0; c < p.changes; c++) {
      const index = server.change(benchSlice((c * 37) % p.services, 2, c + 1));
      const ok = await server.waitConverged(index, live, 120_000);
      const l = server.latencies(index);
      if (!ok) missed += live - l.length;
      latencies.push(...l);
      lastAck.push(Math.max(...l));
      await sleep(300);
    }
    const changeCpu = cpuSeconds(cpu);
    const wire = await fleet.stats();
    return {
      protocol: p.protocol,
      role: p.role,
      server: reference ? 'reference' : p.app ? 'app' : 'bare',
      streams: p.streams,
      failedStreams: p.streams - live,
      ...(sync.errorMessages.length > 0 ? { streamErrors: sync.errorMessages.join('; ') } : {}),
      clusters: p.services,
      initialSyncS: round(syncSeconds, 2),
      initialSyncCpuS: round(syncCpu, 2),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(Math.max(...latencies)),
      lastAckP50Ms: round(percentile(lastAck, 50)),
      missedAcks: missed,
      rssPerStreamKB: round((rssAfter - rssBefore) / live / 1024),
      cpuSPerChange: round(changeCpu / p.changes, 3),
      bytesPerChangePerStream: round(wire.bytes / p.changes / live, 0),
    };
  } finally {
    await fleet.stop();
    await server.stop();
  }
}

/** B3 (+B4): steady endpoint churn; convergence per change, responses per change, CPU and bytes on the wire. */
export async function churn(p: {
  protocol: Protocol;
  services: number;
  endpoints: number;
  ratePerS: number;
  seconds: number;
  streams: number;
  maxWaitMs: number;
}): Promise<ScenarioResult> {
  const server = new BenchServer({
    objects: benchObjects(p.services, p.endpoints, false),
    group: 'proxyless',
    maxWaitMs: p.maxWaitMs,
  });
  await server.start();
  const edsNames = Array.from({ length: p.services }, (_, i) => benchClusterName(i));
  const fleet = ClientFleet.start({
    address: server.address,
    protocol: p.protocol,
    role: 'proxyless',
    streams: p.streams,
    edsNames,
  });
  try {
    await fleet.waitReady(p.streams, 120_000);
    await sleep(500);
    await fleet.resetCounters();
    const responsesBefore = server.responses;
    const buildsBefore = server.builds;
    const first = server.changeCount();
    const cpu = process.cpuUsage();
    const started = nowMs();
    const total = Math.round(p.ratePerS * p.seconds);
    const generation = new Map<number, number>();
    let seed = 12345;
    for (let c = 0; c < total; c++) {
      // Paced by the clock, not by timers alone, so the rate holds even when the loop is busy.
      const due = started + (c * 1000) / p.ratePerS;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const svc = seed % p.services;
      const g = (generation.get(svc) ?? 0) + 1;
      generation.set(svc, g);
      server.change(benchSlice(svc, p.endpoints, g));
    }
    const last = server.changeCount() - 1;
    await server.waitConverged(last, p.streams, 30_000);
    const elapsed = (nowMs() - started) / 1000;
    const cpuS = cpuSeconds(cpu);
    const wire = await fleet.stats();
    const perChange: number[] = [];
    let unconverged = 0;
    for (let c = first; c <= last; c++) {
      const l = server.latencies(c);
      if (l.length < p.streams) unconverged++;
      else perChange.push(Math.max(...l));
    }
    return {
      protocol: p.protocol,
      services: p.services,
      streams: p.streams,
      changes: total,
      seconds: p.seconds,
      maxWaitMs: p.maxWaitMs,
      convergenceP50Ms: round(percentile(perChange, 50)),
      convergenceP99Ms: round(percentile(perChange, 99)),
      unconverged,
      snapshots: server.builds - buildsBefore,
      responsesPerChange: round((server.responses - responsesBefore) / total, 2),
      cpuS: round(cpuS, 2),
      cpuPerSecond: round(cpuS / elapsed, 3),
      wireMB: round(wire.bytes / 1e6, 2),
      wireBytesPerChange: round(wire.bytes / total, 0),
    };
  } finally {
    await fleet.stop();
    await server.stop();
  }
}

/** B5: a burst of changes within a short window; snapshots built and responses pushed. */
export async function burst(p: {
  changes: number;
  windowMs: number;
  streams: number;
  services: number;
}): Promise<ScenarioResult> {
  const server = new BenchServer({ objects: benchObjects(p.services, 2, false), group: 'proxyless' });
  await server.start();
  const edsNames = Array.from({ length: p.services }, (_, i) => benchClusterName(i));
  const sotw = ClientFleet.start({
    address: server.address,
    protocol: 'sotw',
    role: 'proxyless',
    streams: p.streams,
    edsNames,
    nodePrefix: 's',
  });
  const delta = ClientFleet.start({
    address: server.address,
    protocol: 'delta',
    role: 'proxyless',
    streams: p.streams,
    edsNames,
    nodePrefix: 'd',
  });
  try {
    await Promise.all([sotw.waitReady(p.streams, 60_000), delta.waitReady(p.streams, 60_000)]);
    await sleep(300);
    const buildsBefore = server.builds;
    const responsesBefore = server.responses;
    const started = nowMs();
    for (let c = 0; c < p.changes; c++) {
      const due = started + (c * p.windowMs) / p.changes;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      server.change(benchSlice(c % p.services, 2, 1 + Math.floor(c / p.services)));
    }
    const burstMs = nowMs() - started;
    await server.waitConverged(server.changeCount() - 1, p.streams * 2, 30_000);
    await sleep(1500);
    const snapshots = server.builds - buildsBefore;
    return {
      changes: p.changes,
      burstMs: round(burstMs, 0),
      debounceMs: 100,
      maxWaitMs: 1000,
      snapshots,
      maxWindowsInBurst: Math.ceil(burstMs / 1000) + 1,
      streams: p.streams * 2,
      pushes: server.responses - responsesBefore,
      pushesPerStream: round((server.responses - responsesBefore) / (p.streams * 2), 1),
    };
  } finally {
    await Promise.all([sotw.stop(), delta.stop()]);
    await server.stop();
  }
}
