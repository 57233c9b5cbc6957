// `make bench`: runs the plan (plan.ts), each scenario in a fresh process, prints one summary table (figure,
// target, reference, pass/MISS; summary.ts) and the raw figures per scenario, and writes them as JSON and
// Markdown under bench-results/. BENCH_QUICK=1 runs small sizes for development.
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ScenarioResult } from './scenarios';
import { plan, type Run } from './plan';
import { markdownTable, summaryRows, type Results } from './summary';

const quick = process.env.BENCH_QUICK === '1';
/** BENCH_ONLY=REGEX runs only the runs whose id matches (e.g. BENCH_ONLY=^fanout- make bench). */
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;

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

const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** The raw figures, one table per scenario. */
function details(runs: Run[], results: Results): string[] {
  const kinds = new Map<string, Record<string, unknown>[]>();
  for (const run of runs) {
    const r = results[run.id];
    if (r) kinds.set(run.scenario, [...(kinds.get(run.scenario) ?? []), { run: run.id, ...r }]);
  }
  return [...kinds].flatMap(([kind, rows]) => [`### ${kind}`, '', markdownTable(rows), '']);
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = load();
  const results: Results = {};
  const runs = plan(quick).filter((run) => !only || only.test(run.id));
  for (const run of runs) {
    const t = Date.now();
    const loadBefore = os.loadavg()[0]?.toFixed(1) ?? '';
    process.stderr.write(`running ${run.id} (load ${loadBefore}) ...`);
    try {
      results[run.id] = { ...(await runScenario(run)), load1: loadBefore };
    } catch (err) {
      results[run.id] = { error: (err as Error).message };
    }
    process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const machine = {
    nproc: os.cpus().length,
    memoryGB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: load(),
  };
  const report = [
    `## kxds benchmark${quick ? ' (quick mode: small sizes, not comparable with the targets)' : ''}${only ? ` (only ${String(only)})` : ''}`,
    '',
    `Machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGB} GB, Node ${machine.node}; load average ${loadAtStart} at start, ${machine.loadAverageAtEnd} at end`,
    '',
    '### Summary',
    '',
    markdownTable(summaryRows(results) as unknown as Record<string, unknown>[]),
    '',
    ...details(runs, results),
    `Total: ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ].join('\n');
  console.log(report);
  const dir = path.resolve(__dirname, '..', '..', '..', 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.stringify({ quick, machine, at: new Date().toISOString(), results }, null, 2);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `bench-${quick ? 'quick-' : ''}${stamp}.json`), json);
  fs.writeFileSync(path.join(dir, quick ? 'latest-quick.json' : 'latest.json'), json);
  fs.writeFileSync(path.join(dir, quick ? 'latest-quick.md' : 'latest.md'), `${report}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
