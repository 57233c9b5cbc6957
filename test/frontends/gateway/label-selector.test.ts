// Label selectors and namespace policies: every operator, and unknown ones failing closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrom } from '../../../src/model/store';
import { namespaceAdmitted, selectorMatches } from '../../../src/frontends/gateway/label-selector';

const labels = { env: 'prod', tier: 'web' };

test('matchLabels and every matchExpressions operator', () => {
  assert.equal(selectorMatches({}, labels), true);
  assert.equal(selectorMatches({ matchLabels: { env: 'prod' } }, labels), true);
  assert.equal(selectorMatches({ matchLabels: { env: 'dev' } }, labels), false);
  const expr = (operator: string, values?: string[]) =>
    selectorMatches({ matchExpressions: [{ key: 'env', operator, ...(values ? { values } : {}) }] }, labels);
  assert.equal(expr('In', ['dev', 'prod']), true);
  assert.equal(expr('In', ['dev']), false);
  assert.equal(expr('NotIn', ['prod']), false);
  assert.equal(expr('NotIn', ['dev']), true);
  assert.equal(expr('Exists'), true);
  assert.equal(expr('DoesNotExist'), false);
  assert.equal(
    selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels),
    true,
  );
  assert.equal(expr('Gt', ['1']), false, 'an unknown operator matches nothing');
});

test('namespace policies: All, Same, Selector (with the name label), None and unknown values', () => {
  const model = modelFrom([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { env: 'prod' } } },
  ]);
  assert.equal(namespaceAdmitted(model, { from: 'All' }, 'None', 'infra', 'team'), true);
  assert.equal(namespaceAdmitted(model, undefined, 'Same', 'infra', 'infra'), true);
  assert.equal(namespaceAdmitted(model, undefined, 'Same', 'infra', 'team'), false);
  assert.equal(namespaceAdmitted(model, undefined, 'None', 'infra', 'infra'), false);
  assert.equal(
    namespaceAdmitted(
      model,
      { from: 'Selector', selector: { matchLabels: { env: 'prod' } } },
      'Same',
      'infra',
      'team',
    ),
    true,
  );
  assert.equal(
    namespaceAdmitted(
      model,
      { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'lab' } } },
      'Same',
      'infra',
      'lab',
    ),
    true,
  );
  assert.equal(
    namespaceAdmitted(model, { from: 'Selector' }, 'Same', 'infra', 'team'),
    false,
    'Selector without selector',
  );
  assert.equal(namespaceAdmitted(model, { from: 'Elsewhere' }, 'Same', 'infra', 'infra'), false);
});
