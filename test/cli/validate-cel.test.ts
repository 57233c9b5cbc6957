// The CRDs' CEL rules refuse, in `kxds validate` and in the `--manifests` source `kxds serve` reads, one
// violating document of every Gateway API kind that has rules, each with the rule's own message and field;
// the valid objects beside them still load.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '../../src/log';
import { ManifestSource } from '../../src/sources/manifest-source';
import type { SourceEvent } from '../../src/sources/source';
import type { ValidationReport } from '../../src/validate/report';
import { runKxdsToEnd } from '../helpers/cli-process';
import { CEL_VIOLATIONS } from '../sources/gateway-api/cel-violations';
import * as F from '../sources/gateway-api/fixtures';

function manifestDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-cel-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // One file per violation: a file is all or nothing, so each refusal is its own.
  CEL_VIOLATIONS.forEach((v, i) =>
    fs.writeFileSync(path.join(dir, `bad-${i}.json`), JSON.stringify(v.document)),
  );
  fs.writeFileSync(path.join(dir, 'good.yaml'), F.EVERY_KIND.map((o) => JSON.stringify(o)).join('\n---\n'));
  return dir;
}

test('kxds validate refuses each CEL violation with its rule message; exit 1', async (t) => {
  const dir = manifestDir(t);
  const result = await runKxdsToEnd(['validate', '--manifests', dir, '--output', 'json']);
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as ValidationReport;
  const messages = report.findings.map((f) => `${f.object}: ${f.message}`).join('\n');
  for (const v of CEL_VIOLATIONS)
    assert.ok(
      messages.includes(`${v.object}`) && messages.includes(`${v.field}: ${v.message}`),
      `${v.message}\n${messages}`,
    );
  assert.equal(report.objects, F.EVERY_KIND.length, 'the valid file loads');
});

test(
  'the --manifests source refuses the same documents and serves the valid ones',
  { timeout: 20_000 },
  async (t) => {
    const dir = manifestDir(t);
    const warnings: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) });
    const source = new ManifestSource({ dir, logger, rescanIntervalMs: 60_000 });
    const events: SourceEvent[] = [];
    const subscription = source.events$.subscribe((e) => events.push(e));
    t.after(async () => {
      subscription.unsubscribe();
      await source.stop();
    });
    const deadline = Date.now() + 10_000;
    while (!events.some((e) => e.type === 'synced') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(
      events.some((e) => e.type === 'synced'),
      'the source synced',
    );
    const upserted = events.flatMap((e) => (e.type === 'upsert' ? [e.object] : []));
    assert.equal(upserted.length, F.EVERY_KIND.length, 'only the valid file is served');
    const logged = warnings.join('\n');
    for (const v of CEL_VIOLATIONS)
      assert.ok(logged.includes(`${v.field}: ${v.message}`), `${v.message}\n${logged}`);
  },
);
