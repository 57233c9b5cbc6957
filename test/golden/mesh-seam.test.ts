// The mesh front-end golden seam: test/golden/mesh/<case>.in.yaml (Kubernetes objects) -> <case>.out.yaml,
// the statuses and, per dialect, the IR the mesh's data planes are built from (sidecars: envoy clusters;
// proxyless clients: grpc-js, grpc-core, grpc clusters and "api" listeners) with what each dialect held
// back. UPDATE_GOLDEN=1 (npm run golden:update) rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ModelStore } from '../../src/model/store';
import { translate } from '../../src/translate/translate';
import { serviceCatalog } from '../../src/translate/service-catalog';
import { shapeCatalog } from '../../src/translate/dialects/shape-catalog';
import { TranslationMemos } from '../../src/translate/translation-memos';
import { apiListenerIr } from '../../src/translate/proxyless';
import type { DialectId } from '../../src/translate/dialects/dialect';
import { proxylessGroup, sidecarGroup } from '../../src/xds/node-group';
import { parseCase } from './golden-case';
import { assertGolden } from './golden-file';

const CASES_DIR = resolve(__dirname, '../../../test/golden/mesh');
const DIALECT_IDS: readonly DialectId[] = ['envoy', 'grpc-js', 'grpc-core', 'grpc'];

const cases = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

test('the mesh seam has cases', () => assert.ok(cases.length >= 3, `only ${cases.length}`));

function meshOutput(text: string): string {
  const input = parseCase(text);
  const model = new ModelStore();
  for (const obj of input.objects) model.upsert(obj);
  // Statuses as a translation with every kind of mesh client connected reports them.
  const requestedGroups = [proxylessGroup('grpc-js'), proxylessGroup('grpc-core'), sidecarGroup('demo', true)];
  const { statuses } = translate(model, { ...input.options, requestedGroups });
  const memos = new TranslationMemos();
  const defaults = { connectTimeoutMs: input.options.connectTimeoutMs ?? 5000 };
  const catalog = serviceCatalog(model, [], defaults, memos);
  const dialects: Record<string, unknown> = {};
  for (const dialect of DIALECT_IDS) {
    const shaped = shapeCatalog(catalog, dialect, memos);
    dialects[dialect] = {
      clusters: shaped.entries.map((e) => e.cluster),
      // Sidecars (envoy) get their listeners from the sidecar view; proxyless clients get "api" listeners.
      ...(dialect === 'envoy'
        ? {}
        : { listeners: shaped.entries.map((e) => apiListenerIr(e.cluster, e.entry.onlyPort)) }),
      heldBack: shaped.heldBack,
    };
  }
  return stringify(
    { statuses, endpoints: catalog.map((e) => e.endpoints), dialects },
    { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false },
  );
}

for (const name of cases) {
  test(`mesh golden: ${name}`, () => {
    const text = meshOutput(readFileSync(join(CASES_DIR, `${name}.in.yaml`), 'utf8'));
    assertGolden(join(CASES_DIR, `${name}.out.yaml`), text);
  });
}
