// Every CEL rule of gateway-api-cel-rules.json parses, the valid object of every kind passes them all, and for
// each kind that has rules one violation is refused with the rule's own message at its field (the parse that
// `kxds validate` and `--manifests` share; test/cli/validate-cel.test.ts runs the CLI on the same cases).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from '@bufbuild/cel';
import celRules from '../../../src/sources/gateway-api-cel-rules.json';
import { parseManifest } from '../../../src/sources/manifest-parse';
import { CEL_VIOLATIONS } from './cel-violations';
import * as F from './fixtures';

test('every rule of the rules file parses as CEL and names kinds and a path', () => {
  for (const rule of celRules.rules) {
    assert.doesNotThrow(() => parse(rule.rule), rule.message);
    assert.ok(rule.kinds.length > 0 && rule.message.length > 0, rule.message);
  }
  assert.ok(celRules.rules.length >= 120, `only ${celRules.rules.length} rules`);
});

test('the valid object of every kind passes every rule', () => {
  const parsed = parseManifest(F.EVERY_KIND.map((o) => JSON.stringify(o)).join('\n---\n'));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.map((p) => p.reason).join('\n'));
});

for (const violation of CEL_VIOLATIONS) {
  test(`CEL: ${violation.object} refused: ${violation.message}`, () => {
    const parsed = parseManifest(JSON.stringify(violation.document));
    assert.equal(parsed.ok, false);
    const reasons = parsed.ok ? [] : parsed.problems.map((p) => `${p.object ?? ''}: ${p.reason}`);
    assert.ok(
      reasons.includes(`${violation.object}: ${violation.field}: ${violation.message}`),
      reasons.join('\n'),
    );
  });
}

test('the violations cover every kind that has rules', () => {
  const withRules = new Set(celRules.rules.flatMap((r) => r.kinds));
  const covered = new Set(CEL_VIOLATIONS.map((v) => v.document.kind));
  assert.deepEqual(
    [...withRules].filter((k) => !covered.has(k)),
    [],
  );
});
