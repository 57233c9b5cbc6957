// `make bench-startup`: how long `kxds --version`, `kxds --help` and `kxds validate` take, hyperfine-style:
// a few warm-up runs, then repeated runs, printing min / median / p90 against the 200 ms target of
// `--version` and `--help` (issue 16). A measurement, never a test assertion.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const KXDS = path.resolve(__dirname, '..', '..', '..', 'bin', 'kxds.js');
const REPO = path.resolve(__dirname, '..', '..', '..');
const WARMUP = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 200;

const COMMANDS: { args: string[]; target?: number }[] = [
  { args: ['--version'], target: TARGET_MS },
  { args: ['--help'], target: TARGET_MS },
  { args: ['serve', '--help'], target: TARGET_MS },
  { args: ['validate', 'demo/manifests'] },
];

function once(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [KXDS, ...args], { cwd: REPO, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`kxds ${args.join(' ')} exited ${String(result.status)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const rows = COMMANDS.map(({ args, target }) => {
  for (let i = 0; i < WARMUP; i++) once(args);
  const times = Array.from({ length: RUNS }, () => once(args)).sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  return {
    command: `kxds ${args.join(' ')}`,
    'min ms': times[0]?.toFixed(0),
    'median ms': median.toFixed(0),
    'p90 ms': quantile(times, 0.9).toFixed(0),
    target: target ? `< ${target} ms ${median < target ? 'ok' : 'MISSED'}` : '',
  };
});
console.log(`node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up runs each`);
console.table(rows);
