// The Gateway API front-end golden seam: test/golden/gateway/<case>.in.yaml (Kubernetes objects, an
// optional GoldenOptions document with GatewayOptions fields) -> <case>.out.yaml: every status kxds computes
// and each served Gateway's IR (certificates shown by name only). Every Envoy resource the IR builds must
// pass checkEnvoyResource. UPDATE_GOLDEN=1 (npm run golden:update) rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { modelFrom } from '../../src/model/store';
import { translateGateways } from '../../src/frontends/gateway/index';
import type { GatewayOptions } from '../../src/frontends/gateway/contract';
import { groupResources } from '../../src/envoy/group';
import { TranslationMemos } from '../../src/translate/translation-memos';
import type { Statuses } from '../../src/translate/findings';
import { parseCase } from './golden-case';
import { assertGolden } from './golden-file';
import { checkResources } from './check-resources';

const CASES_DIR = resolve(__dirname, '../../../test/golden/gateway');

const DEFAULTS: GatewayOptions = {
  address: '0.0.0.0',
  privilegedPortOffset: 10000,
  allowExternalName: false,
  connectTimeoutMs: 5000,
};

// routes-*.in.yaml are the route-rule cases, driven through the rules alone by their own seam.
const cases = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.in.yaml') && !f.startsWith('routes-'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

test('the gateway seam has its cases', () => assert.ok(cases.length >= 40, `only ${cases.length}`));

for (const name of cases) {
  test(`gateway golden: ${name}`, () => {
    const input = parseCase(readFileSync(join(CASES_DIR, `${name}.in.yaml`), 'utf8'));
    const options = { ...DEFAULTS, ...(input.options as Partial<GatewayOptions>) };
    const warnings: Statuses = [];
    const result = translateGateways(modelFrom(input.objects), options, warnings);
    const memos = new TranslationMemos();
    const problems = result.gateways.flatMap((g) =>
      checkResources(groupResources(g.ir, memos.groupMemos())).map((p) => `${g.namespace}/${g.name}: ${p}`),
    );
    assert.deepEqual(problems, [], 'every emitted resource passes checkEnvoyResource');
    const gateways = result.gateways.map((g) => ({
      ...g,
      ir: { ...g.ir, secrets: g.ir.secrets.map((s) => s.name) },
    }));
    const text = stringify(
      { statuses: result.statuses, gateways, findings: warnings.length },
      { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false },
    );
    assert.ok(!/PRIVATE KEY/.test(text), 'no key material in golden output');
    assertGolden(join(CASES_DIR, `${name}.out.yaml`), text);
  });
}
