// The sidecar golden seam: test/golden/sidecar/<case>.in.yaml (Kubernetes objects) -> <case>.out.yaml, for a
// sidecar of namespace demo in explicit and in transparent mode: the IR the sidecar view makes (listeners;
// clusters by name and protocol) and the Envoy resources the back-end builds from it, every one of which
// must pass Envoy's proto rules. Mesh route statuses are shown too. UPDATE_GOLDEN=1 (npm run
// golden:update) rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ModelStore } from '../../src/model/store';
import { translate } from '../../src/translate/translate';
import { serviceCatalog } from '../../src/translate/service-catalog';
import { TranslationMemos } from '../../src/translate/translation-memos';
import { sidecarIr } from '../../src/translate/sidecar/sidecar';
import { meshRoutes } from '../../src/frontends/mesh/service-routes';
import { nodeGroupKey, sidecarGroup } from '../../src/xds/node-group';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { MESSAGE_NAME, type ResourceKind, type ResourceSet } from '../../src/xds/types';
import { checkResources } from './check-resources';
import { parseCase } from './golden-case';
import { assertGolden } from './golden-file';

const CASES_DIR = resolve(__dirname, '../../../test/golden/sidecar');
const GROUPS = [sidecarGroup('demo', false), sidecarGroup('demo', true)];
const KINDS: readonly ResourceKind[] = ['listener', 'route', 'cluster', 'endpoint'];

const cases = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

test('the sidecar seam has cases', () => assert.ok(cases.length >= 2, `only ${cases.length}`));

function resources(set: ResourceSet): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const kind of KINDS)
    out[`${kind}s`] = [...set[kind].keys()]
      .sort()
      .map((name) => decodeMessage(MESSAGE_NAME[kind], encodeMessage(MESSAGE_NAME[kind], set[kind].get(name))));
  return out;
}

function sidecarOutput(text: string): { text: string; problems: string[] } {
  const input = parseCase(text);
  const model = new ModelStore();
  for (const obj of input.objects) model.upsert(obj);
  const result = translate(model, { ...input.options, requestedGroups: GROUPS });
  const memos = new TranslationMemos();
  const catalog = serviceCatalog(model, [], { connectTimeoutMs: 5000 }, memos);
  const mesh = meshRoutes(model, {
    model,
    warnings: [],
    options: { address: '0.0.0.0', privilegedPortOffset: 0, allowExternalName: false, connectTimeoutMs: 5000 },
  });
  const problems: string[] = [];
  const groups: Record<string, unknown> = {};
  for (const group of GROUPS) {
    const key = nodeGroupKey(group);
    const ir = sidecarIr(group, { model, catalog, mesh, memos });
    const built = result.groups.get(key) as ResourceSet;
    problems.push(...checkResources(built).map((p) => `${key}: ${p}`));
    groups[key] = {
      ir: {
        listeners: ir.listeners,
        clusters: ir.clusters.map((c) => `${c.name} (${c.protocol})`),
        originalDstClusters: (ir.originalDstClusters ?? []).map((c) => c.name),
      },
      envoy: resources(built),
    };
  }
  const meshStatuses = result.gatewayStatuses.filter((s) => s.kind === 'HTTPRoute' || s.kind === 'GRPCRoute');
  const out = { statuses: result.statuses, meshStatuses, groups };
  return { text: stringify(out, { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false }), problems };
}

for (const name of cases) {
  test(`sidecar golden: ${name}`, () => {
    const { text, problems } = sidecarOutput(readFileSync(join(CASES_DIR, `${name}.in.yaml`), 'utf8'));
    assert.deepEqual(problems, [], 'every emitted resource passes checkEnvoyResource');
    assertGolden(join(CASES_DIR, `${name}.out.yaml`), text);
  });
}
