// supportedFeatures: sorted and unique as the API requires, and documented: the table in
// docs/gateway-api.md lists exactly the features of the one list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  SUPPORTED_FEATURES,
  supportedFeaturesStatus,
} from '../../../src/frontends/gateway/supported-features';

test('supportedFeatures are sorted ascending, once each', () => {
  const names = supportedFeaturesStatus(['b', 'a', 'b']).map((f) => f.name);
  assert.deepEqual(names, ['a', 'b']);
  const listed = supportedFeaturesStatus().map((f) => f.name);
  assert.deepEqual(listed, [...new Set(SUPPORTED_FEATURES)].sort());
});

test('docs/gateway-api.md documents exactly the supported features', () => {
  const doc = readFileSync(resolve(__dirname, '../../../../docs/gateway-api.md'), 'utf8');
  const section = doc.split('## supportedFeatures')[1]?.split('\n## ')[0] ?? '';
  const documented = [...section.matchAll(/^\| `([A-Za-z0-9]+)` \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, [...SUPPORTED_FEATURES].sort());
});
