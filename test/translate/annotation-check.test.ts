// The annotation catalog and its check: unknown keys with a did-you-mean, unimplemented and refused keys
// reported, access control returned for failing closed, and docs/annotations.md listing every key as the
// catalog says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ANNOTATION_CATALOG } from '../../src/translate/annotation-catalog';
import { checkAnnotations, editDistance } from '../../src/translate/annotation-check';
import type { Statuses } from '../../src/translate/findings';
import type { KubeObject } from '../../src/model/k8s';

const ingress = (annotations: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'demo', annotations },
});

function messages(statuses: Statuses): string[] {
  return statuses.flatMap((s) => s.conditions.map((c) => `${c.reason}: ${c.message}`));
}

test('edit distance', () => {
  assert.equal(editDistance('auth-url', 'auth-url'), 0);
  assert.equal(editDistance('rewrite-targt', 'rewrite-target'), 1);
  assert.equal(editDistance('', 'abc'), 3);
});

test('a typo gets the nearest known key; a key far from every known one gets none', () => {
  const statuses: Statuses = [];
  checkAnnotations(
    ingress({ 'nginx.ingress.kubernetes.io/ssl-redirct': 'false', 'kxds.io/zzzzzz-qqqqqq-xxxx': '1' }),
    'Ingress',
    statuses,
  );
  assert.deepEqual(messages(statuses), [
    'UnknownAnnotation: annotation kxds.io/zzzzzz-qqqqqq-xxxx is not one kxds reads; ignored',
    'UnknownAnnotation: annotation nginx.ingress.kubernetes.io/ssl-redirct is not one kxds reads; ignored (did you mean nginx.ingress.kubernetes.io/ssl-redirect?)',
  ]);
});

test('access-control keys are returned to fail closed; other prefixes and implemented keys pass silently', () => {
  const statuses: Statuses = [];
  const check = checkAnnotations(
    ingress({
      'nginx.ingress.kubernetes.io/auth-signin': 'https://login.test/',
      'kxds.io/request-timeout': '5s',
      'example.com/anything': 'x',
      'kubernetes.io/ingress.class': 'kxds',
    }),
    'Ingress',
    statuses,
  );
  assert.deepEqual(
    check.failsClosed.map((f) => f.annotation),
    ['nginx.ingress.kubernetes.io/auth-signin'],
  );
  assert.equal(statuses.length, 1);
  assert.equal(statuses[0]?.conditions[0]?.reason, 'UnsupportedAccessControl');
});

test('docs/annotations.md lists every catalog key with what kxds does with it', () => {
  const page = readFileSync('docs/annotations.md', 'utf8');
  const rows = new Map<string, string>();
  for (const m of page.matchAll(/^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$/gm))
    rows.set(m[1] ?? '', m[3] ?? '');
  const word = {
    implemented: 'implemented',
    unsupported: 'not implemented',
    refused: 'refused',
    'fails-closed': 'fails closed',
  } as const;
  for (const [key, entry] of ANNOTATION_CATALOG) {
    const row = rows.get(key);
    assert.ok(
      row,
      `${key} is missing from docs/annotations.md (regenerate it: scripts/annotation-table.mjs)`,
    );
    assert.ok(row.trim().startsWith(word[entry.support]), `${key}: the page says "${row.trim()}"`);
  }
  assert.equal(rows.size, ANNOTATION_CATALOG.size, 'the page lists keys the catalog does not have');
});
