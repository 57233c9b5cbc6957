// Route propagation (issue 18): `kxds serve` (the whole app) on a manifest directory holding N routes over 50
// namespaces (Ingresses, or HTTPRoutes on one Gateway), edge Envoys on SotW subscribed to the group's route
// configurations. A new route is written into the directory as its own file; the figure is the time from
// the write to each stream's ACK of the first RDS version that holds it: file watch, parse, translate,
// snapshot and send, everything a user waits for.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManifestSource } from '../../src/sources/manifest-source';
import { silentLogger } from '../../src/log';
import { BenchServer } from './bench-server';
import { ClientFleet } from './clients';
import {
  BENCH_GATEWAY,
  hostOf,
  routeObject,
  writeManifest,
  writeRoutes,
  type RouteFrontend,
} from './propagation-fixtures';
import { cpuSeconds, nowMs, percentile, round, sleep } from './stats';
import type { ScenarioResult } from './scenarios';

export async function propagation(p: {
  frontend: RouteFrontend;
  routes: number;
  streams: number;
  samples: number;
}): Promise<ScenarioResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-bench-routes-'));
  writeRoutes(dir, p.frontend, p.routes);
  const gateway = p.frontend === 'httproute';
  const group = gateway ? `gateway/${BENCH_GATEWAY.namespace}/${BENCH_GATEWAY.name}` : 'edge';
  const source = new ManifestSource({ dir, logger: silentLogger });
  const server = new BenchServer({ objects: [], source, group, app: true, ackedKind: 'route' });
  const loadStart = nowMs();
  await server.start();
  const loadS = (nowMs() - loadStart) / 1000;
  const routeNames = [...(server.snapshots().get(group)?.types.route.resources.keys() ?? [])];
  const fleet = ClientFleet.start({
    address: server.address,
    protocol: 'sotw',
    role: 'edge',
    streams: p.streams,
    edsNames: [],
    followClusters: true,
    routeNames,
    ...(gateway
      ? { metadata: { 'kxds.io/gateway': `${BENCH_GATEWAY.namespace}/${BENCH_GATEWAY.name}` } }
      : {}),
  });
  try {
    if (routeNames.length === 0) throw new Error(`group ${group} has no route configuration`);
    const sync = await fleet.waitReady(p.streams, 120_000);
    await sleep(500);
    const latencies: number[] = [];
    const buildMs: number[] = [];
    let missed = 0;
    const cpu = process.cpuUsage();
    for (let s = 0; s < p.samples; s++) {
      const i = (s * 97) % p.routes;
      const index = server.log.change();
      writeManifest(path.join(dir, `new-${s}.yaml`), [
        routeObject(p.frontend, i, hostOf(i, 'new'), `new-${s}`),
      ]);
      if (!(await server.waitConverged(index, sync.ready, 30_000))) missed += sync.ready;
      latencies.push(...server.latencies(index));
      buildMs.push(server.log.buildMs(index) ?? NaN);
      await sleep(300);
    }
    return {
      frontend: p.frontend,
      routes: p.routes,
      streams: p.streams,
      failedStreams: p.streams - sync.ready,
      routeConfigs: routeNames.length,
      loadS: round(loadS, 2),
      buildP50Ms: round(percentile(buildMs, 50)),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(Math.max(...latencies)),
      missedAcks: missed,
      cpuSPerChange: round(cpuSeconds(cpu) / p.samples, 3),
    };
  } finally {
    await fleet.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
