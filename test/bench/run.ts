// `make bench`: runs B1-B7 (issues 8, 17 and 18), each scenario in a fresh process, prints the results as tables with
// the targets, and writes them as JSON under bench-results/. BENCH_QUICK=1 runs small sizes for development.
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ScenarioResult } from './scenarios';
import type { Protocol } from './worker-protocol';

interface Run {
  id: string;
  scenario: 'coldStart' | 'fanOut' | 'churn' | 'burst' | 'nodeGroupChurn' | 'outageRecovery';
  params: Record<string, unknown>;
}

const quick = process.env.BENCH_QUICK === '1';
const role = process.env.BENCH_ROLE ?? 'proxyless';

function plan(): Run[] {
  const runs: Run[] = [];
  for (const services of quick ? [1000] : [1000, 5000, 10000])
    runs.push({ id: `B1-${services}`, scenario: 'coldStart', params: { services } });
  const fan: [string, number][] = quick
    ? [
        ['delta', 100],
        ['sotw', 100],
      ]
    : [
        ['delta', 100],
        ['delta', 500],
        ['delta', 1000],
        ['delta', 2000],
        ['sotw', 100],
        ['sotw', 500],
      ];
  for (const [protocol, streams] of fan)
    runs.push({
      id: `B2-${protocol}-${streams}`,
      scenario: 'fanOut',
      params: { protocol, streams, role, services: 1000, changes: quick ? 3 : 5 },
    });
  // Issue 18's benchmark: edge Envoys (CDS wildcard + EDS of every cluster) against the whole app.
  const app: [Protocol, number][] = quick
    ? [['sotw', 100]]
    : [
        ['sotw', 300],
        ['sotw', 1000],
        ['delta', 1000],
      ];
  for (const [protocol, streams] of app)
    runs.push({
      id: `B2-app-edge-${protocol}-${streams}`,
      scenario: 'fanOut',
      params: { protocol, streams, role: 'edge', services: 1000, changes: 3, app: true },
    });
  const churn = {
    services: 500,
    endpoints: 3,
    ratePerS: 40,
    seconds: quick ? 10 : 60,
    streams: quick ? 20 : 100,
  };
  for (const [protocol, maxWaitMs] of [
    ['sotw', 1000],
    ['delta', 1000],
    ['delta', 250],
  ] as const)
    runs.push({
      id: `B3-${protocol}-maxwait${maxWaitMs}`,
      scenario: 'churn',
      params: { ...churn, protocol, maxWaitMs },
    });
  runs.push({
    id: 'B5',
    scenario: 'burst',
    params: { changes: quick ? 200 : 1000, windowMs: 1000, streams: 10, services: 500 },
  });
  runs.push({
    id: 'B6',
    scenario: 'nodeGroupChurn',
    params: { services: quick ? 100 : 500, groups: 1000, samples: quick ? 3 : 5 },
  });
  runs.push({
    id: 'B7',
    scenario: 'outageRecovery',
    params: { services: 1000, outageMs: quick ? 3000 : 10_000 },
  });
  return runs;
}

function runScenario(run: Run): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'scenario-main.js'), [run.scenario, JSON.stringify(run.params)], {
      execArgv: ['--expose-gc', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ScenarioResult | undefined;
    child.on('message', (msg: { type: string; result: ScenarioResult }) => {
      if (msg.type === 'result') result = msg.result;
    });
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`${run.id}: scenario exited with code ${code ?? 'null'}`)),
    );
  });
}

function table(title: string, rows: ScenarioResult[]): string {
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `### ${title}`,
    '',
    line(columns),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
    '',
  ].join('\n');
}

type Results = Record<string, ScenarioResult | { error: string }>;

function ok(r: ScenarioResult | { error: string } | undefined): ScenarioResult | undefined {
  return r && !('error' in r) ? r : undefined;
}

/** Each target of the issue, met or missed, with the measured value. */
function targets(results: Results): string[] {
  const out: string[] = [];
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const b1 = ok(results[quick ? 'B1-1000' : 'B1-10000']);
  if (b1)
    out.push(
      `B1 ${String(b1.services)} Services: first snapshot ${String(b1.firstSnapshotS)} s (< 5 s: ${verdict(Number(b1.firstSnapshotS) < 5)}), peak RSS ${String(b1.peakRssMB)} MB (< 1000 MB: ${verdict(Number(b1.peakRssMB) < 1000)})`,
    );
  const b2 = ok(results[quick ? 'B2-delta-100' : 'B2-delta-1000']);
  if (b2)
    out.push(
      `B2 ${String(b2.streams)} delta streams: p99 ${String(b2.p99Ms)} ms (< 1000 ms: ${verdict(Number(b2.p99Ms) < 1000)}), ${String(b2.rssPerStreamKB)} KB RSS per stream (< 100 KB: ${verdict(Number(b2.rssPerStreamKB) < 100)})`,
    );
  for (const id of Object.keys(results).filter((k) => k.startsWith('B3-'))) {
    const r = ok(results[id]);
    if (r)
      out.push(
        `${id}: convergence p99 ${String(r.convergenceP99Ms)} ms (< 500 ms: ${verdict(Number(r.convergenceP99Ms) < 500)})`,
      );
  }
  const sotw = ok(results['B3-sotw-maxwait1000']);
  const delta = ok(results['B3-delta-maxwait1000']);
  if (sotw && delta) {
    const ratio = Number(delta.wireMB) / Number(sotw.wireMB);
    out.push(
      `B4 bytes on the wire during B3: delta ${String(delta.wireMB)} MB vs SotW ${String(sotw.wireMB)} MB = ${(ratio * 100).toFixed(2)}% (< 10%: ${verdict(ratio < 0.1)})`,
    );
  }
  const b5 = ok(results.B5);
  if (b5)
    out.push(
      `B5 ${String(b5.changes)} changes in ${String(b5.burstMs)} ms: ${String(b5.snapshots)} snapshots (at most one per debounce window, <= ${String(b5.maxWindowsInBurst)}: ${verdict(Number(b5.snapshots) <= Number(b5.maxWindowsInBurst))}), ${String(b5.pushes)} pushes to ${String(b5.streams)} streams`,
    );
  const b6 = ok(results.B6);
  if (b6)
    out.push(
      `B6 after ${String(b6.nodeChosenGroups)} node-chosen groups left: ${String(b6.groupsAfterRelease)} groups built (= ${String(b6.groupsBefore)} before: ${verdict(b6.groupsAfterRelease === b6.groupsBefore)}), build ${String(b6.buildMsAfterRelease)} ms vs ${String(b6.buildMsBefore)} ms before and ${String(b6.buildMsWhileWatched)} ms while watched`,
    );
  const b7 = ok(results.B7);
  if (b7)
    out.push(
      `B7 after a ${String(b7.outageMs)} ms API server outage: the change made meanwhile served ${String(b7.recoveredMs)} ms after the API server answered again (< 1000 ms: ${verdict(Number(b7.recoveredMs) < 1000)})`,
    );
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: Results = {};
  for (const run of plan()) {
    const t = Date.now();
    process.stderr.write(`running ${run.id} ...`);
    try {
      results[run.id] = await runScenario(run);
    } catch (err) {
      results[run.id] = { error: (err as Error).message };
    }
    process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const pick = (prefix: string) =>
    Object.entries(results)
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, r]) => ({ run: id, ...r }));
  const machine = {
    nproc: os.cpus().length,
    memoryGB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  const report = [
    `## kxds benchmark${quick ? ' (quick mode)' : ''}`,
    '',
    `Machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGB} GB, Node ${machine.node}, role ${role}; load average at end ${machine.loadAverageAtEnd.join(' ')}`,
    '',
    table('B1 cold start (Services x 2 endpoints + 1 Ingress each)', pick('B1')),
    table(
      'B2 fan-out (1000 clusters; one EndpointSlice change -> ACK from every stream)',
      pick('B2').filter((r) => !r.run.startsWith('B2-app')),
    ),
    table(
      'B2 fan-out through the whole app (kxds serve: metrics, convergence, CSDS), edge SotW, 1000 Services behind Ingresses',
      pick('B2-app'),
    ),
    table('B3/B4 churn (500 Services x 3 endpoints, 40 changes/s)', pick('B3')),
    table('B5 burst', pick('B5')),
    table('B6 node-chosen groups (1000 sidecar groups watched, then released)', pick('B6')),
    table('B7 API server outage (Kubernetes source on the API server double, default backoff)', pick('B7')),
    '### Targets',
    '',
    ...targets(results).map((t) => `- ${t}`),
    '',
    `Total: ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ].join('\n');
  console.log(report);
  const dir = path.resolve(__dirname, '..', '..', '..', 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.stringify({ quick, role, machine, at: new Date().toISOString(), results }, null, 2);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `bench-${quick ? 'quick-' : ''}${stamp}.json`), json);
  fs.writeFileSync(path.join(dir, quick ? 'latest-quick.json' : 'latest.json'), json);
  fs.writeFileSync(path.join(dir, quick ? 'latest-quick.md' : 'latest.md'), `${report}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
