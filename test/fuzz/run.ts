// `make fuzz`: bounded random inputs for the ADS port, the manifest reader, the webhook and the admin API
// against one kxds on loopback, with a table of inputs tried, crashes, config lost and peak memory per
// target. A seed replays a run. `node dist/test/fuzz/run.js [--seed N] [--inputs N]`; exit 1 on any crash or
// lost config. fuzz.test.ts runs a short fixed-seed form in `make test`.
import { startApp } from '../../src/app';
import { silentLogger } from '../../src/log';
import { greeterObjects } from '../helpers/k8s-fixtures';
import { SubjectSource } from '../helpers/subject-source';
import { fuzzAdmin } from './admin-target';
import { fuzzAds } from './ads-target';
import { fuzzManifests } from './manifest-target';
import { Rng } from './random';
import type { TargetReport } from './report';
import { fuzzWebhook } from './webhook-target';

export interface FuzzOptions {
  seed: number;
  /** Inputs per target. */
  inputs: number;
}

export async function runFuzz(options: FuzzOptions): Promise<TargetReport[]> {
  const source = new SubjectSource();
  source.upsert(...greeterObjects(50051, ['127.0.0.2', '127.0.0.3']));
  source.synced();
  const app = await startApp({
    source,
    logger: silentLogger,
    xdsAddress: '127.0.0.1:0',
    adminAddress: '127.0.0.1:0',
    debounceMs: 10,
    // The new-stream rate limit would refuse most inputs before a handler sees them (it has tests of its own).
    xdsLimits: { newStreamsPerSecond: 100_000, newStreamsBurst: 100_000 },
  });
  const reports: TargetReport[] = [];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  // A throw that escapes a handler (it would end kxds) is a crash of the target being fuzzed.
  const escapes: string[] = [];
  const escaped = (err: unknown): void => {
    escapes.push(`escaped: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`.slice(0, 300));
  };
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  try {
    await app.pipeline.whenReady();
    const rng = new Rng(options.seed);
    const targets: [string, () => Promise<TargetReport>][] = [
      ['ADS', () => fuzzAds(`127.0.0.1:${app.xdsPort}`, rng, options.inputs)],
      ['manifests', () => fuzzManifests(rng, options.inputs)],
      ['webhook', () => fuzzWebhook(rng, options.inputs)],
      ['admin API', () => fuzzAdmin(`http://127.0.0.1:${app.adminPort}`, rng, options.inputs)],
    ];
    for (const [, run] of targets) {
      peak = process.memoryUsage().rss;
      escapes.length = 0;
      const report = await run();
      report.crashes += escapes.length;
      report.examples.push(...escapes.slice(0, 3));
      report.peakRssMb = Math.round(peak / 1048576);
      reports.push(report);
    }
  } finally {
    clearInterval(sampler);
    process.off('uncaughtException', escaped);
    process.off('unhandledRejection', escaped);
    await app.stop(2000);
  }
  return reports;
}

export function fuzzTable(reports: readonly TargetReport[], seed: number): string {
  const rows = reports.map((r) => [
    r.target,
    String(r.inputs),
    String(r.crashes),
    String(r.configLost),
    String(r.peakRssMb),
    Object.entries(r.answers)
      .sort((a, b) => b[1] - a[1])
      .map(([answer, n]) => `${answer} ${n}`)
      .join(', '),
  ]);
  const header = ['target', 'inputs', 'crashes', 'config lost', 'peak RSS MiB', 'answers'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const examples = reports.flatMap((r) => r.examples.map((e) => `  ${r.target}: ${e}`));
  return [
    `fuzz seed ${seed}`,
    line(header),
    ...rows.map(line),
    ...(examples.length ? ['crashing inputs:', ...examples] : []),
  ].join('\n');
}

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name}: a whole number, got ${process.argv[at + 1]}`);
  return value;
}

if (require.main === module) {
  const seed = flag('--seed', Math.floor(Math.random() * 2 ** 31));
  const inputs = flag('--inputs', 2000);
  runFuzz({ seed, inputs }).then(
    (reports) => {
      console.log(fuzzTable(reports, seed));
      if (reports.some((r) => r.crashes > 0 || r.configLost > 0)) process.exitCode = 1;
      // Keep-alive agents and gRPC channels may linger: the run is over.
      setTimeout(() => process.exit(), 100).unref();
    },
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
