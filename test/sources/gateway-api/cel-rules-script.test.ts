// scripts/gateway-api-cel-rules.mjs turns CRD YAML into the rules file's format: a rule per schema path,
// `[*]` for list items, transition rules (oldSelf) left out.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import celRules from '../../../src/sources/gateway-api-cel-rules.json';

interface Extracted {
  kinds: string[];
  path: string;
  rule: string;
  message: string;
}

const SCRIPT = path.resolve(__dirname, '../../../../scripts/gateway-api-cel-rules.mjs');

const LISTENERS_RULE = celRules.rules.find(
  (r) => r.message === 'Listener name must be unique within the Gateway',
);
const FILTERS_RULE = celRules.rules.find((r) => r.path === 'spec.rules[*].filters');

test('the extractor finds rules on properties and list items, skipping transition rules', async () => {
  const { extractCelRules } = (await import(SCRIPT)) as { extractCelRules(docs: unknown[]): Extracted[] };
  assert.ok(LISTENERS_RULE && FILTERS_RULE);
  const crd = (kind: string, spec: object) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: {
      names: { kind },
      versions: [
        { name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } },
      ],
    },
  });
  const gateway = crd('Gateway', {
    type: 'object',
    'x-kubernetes-validations': [{ rule: 'self.x == oldSelf.x', message: 'immutable' }],
    properties: {
      listeners: {
        type: 'array',
        items: { type: 'object' },
        'x-kubernetes-validations': [{ rule: LISTENERS_RULE.rule, message: LISTENERS_RULE.message }],
      },
    },
  });
  const route = crd('HTTPRoute', {
    type: 'object',
    properties: {
      rules: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            filters: {
              type: 'array',
              'x-kubernetes-validations': [{ rule: FILTERS_RULE.rule, message: FILTERS_RULE.message }],
            },
          },
        },
      },
    },
  });
  const extracted = extractCelRules([gateway, route, { kind: 'ConfigMap' }]);
  assert.deepEqual(extracted, [
    {
      kinds: ['Gateway'],
      path: 'spec.listeners',
      rule: LISTENERS_RULE.rule,
      message: LISTENERS_RULE.message,
    },
    {
      kinds: ['HTTPRoute'],
      path: 'spec.rules[*].filters',
      rule: FILTERS_RULE.rule,
      message: FILTERS_RULE.message,
    },
  ]);
});
