// Golden tests of Gateway route-rule translation: test/golden/gateway/routes-<case>.in.yaml must translate
// to exactly routes-<case>.out.yaml (see routes-case.ts), every emitted Envoy resource must pass
// checkEnvoyResource (proto rules and RE2 for every regex), every cluster a route sends or mirrors to must be
// in the same output (but the intended "kxds-unresolved/" shares), and no output may carry key material.
// UPDATE_GOLDEN=1 (npm run golden:update) rewrites the .out.yaml files; review their diff by eye.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertGolden } from '../golden-file';
import { parseObjects, runRoutesCase } from './routes-case';

// Compiled to dist/test/golden/gateway; the cases live next to the sources.
const CASES_DIR = resolve(__dirname, '../../../../test/golden/gateway');

const cases = readdirSync(CASES_DIR)
  .filter((f) => f.startsWith('routes-') && f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

test('there are at least 40 route-rule golden cases', () => {
  assert.ok(cases.length >= 40, `only ${cases.length} cases`);
});

for (const name of cases) {
  test(`gateway routes golden: ${name}`, () => {
    const output = runRoutesCase(parseObjects(readFileSync(join(CASES_DIR, `${name}.in.yaml`), 'utf8')));
    assert.deepEqual(output.problems, [], 'every resource passes checkEnvoyResource; every routed cluster exists');
    assert.ok(!/PRIVATE KEY/.test(output.text), 'no key material in golden output');
    assertGolden(join(CASES_DIR, `${name}.out.yaml`), output.text);
  });
}
