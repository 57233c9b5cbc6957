// Golden tests of the edge translation: test/golden/<case>.in.yaml (Kubernetes objects) must translate to
// exactly <case>.out.yaml, and every emitted resource must pass checkEnvoyResource. UPDATE_GOLDEN=1
// (npm run golden:update) rewrites the .out.yaml files; review their diff by eye before committing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCase, runCase } from './golden-case';
import { assertGolden } from './golden-file';

// Compiled to dist/test/golden; the cases live next to the sources.
const CASES_DIR = resolve(__dirname, '../../../test/golden');

const cases = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

test('there are at least 40 golden cases', () => {
  assert.ok(cases.length >= 40, `only ${cases.length} cases`);
});

// The demo's own manifests are a case too, so the edge config docs/ingress.md shows for the demo stays true.
const DEMO_DIR = resolve(__dirname, '../../../demo/manifests');
const DEMO_CASE = 'demo-manifests';

function caseText(name: string): string {
  if (name !== DEMO_CASE) return readFileSync(join(CASES_DIR, `${name}.in.yaml`), 'utf8');
  return readdirSync(DEMO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(join(DEMO_DIR, f), 'utf8'))
    .join('\n---\n');
}

for (const name of [...cases, DEMO_CASE]) {
  test(`golden: ${name}`, () => {
    const input = parseCase(caseText(name));
    const output = runCase(input);
    assert.deepEqual(output.problems, [], 'every emitted resource passes checkEnvoyResource');
    assert.ok(!/PRIVATE KEY/.test(output.text), 'no key material in golden output');
    assertGolden(join(CASES_DIR, `${name}.out.yaml`), output.text);
  });
}
