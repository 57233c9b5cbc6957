// The short, deterministic form of `make fuzz` for `make test`: a fixed seed and 40 inputs per target (ADS,
// manifests, webhook, admin API), no crash and no config lost. The long form is `make fuzz`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzTable, runFuzz } from './run';

const SEED = 20261202;

test(
  'fuzz, fixed seed: every input answered, nothing crashed, no config lost',
  { timeout: 240_000 },
  async (t) => {
    const reports = await runFuzz({ seed: SEED, inputs: 40 });
    for (const line of fuzzTable(reports, SEED).split('\n')) t.diagnostic(line);
    assert.deepEqual(
      reports.map((r) => [r.target, r.inputs, r.crashes, r.configLost, r.examples]),
      [
        ['ADS', 40, 0, 0, []],
        ['manifests', 40, 0, 0, []],
        ['webhook', 40, 0, 0, []],
        ['admin API', 40, 0, 0, []],
      ],
    );
  },
);
