// `make run` builds only when a source is newer than the last build (a stamp the build touches), so a
// second `make run` starts at once; `make build` always builds.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dryRun } from './make';

/** A build stamp outside the repository with the given modification time. */
function stamp(t: TestContext, mtime: Date): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-make-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'built');
  fs.writeFileSync(file, '');
  fs.utimesSync(file, mtime, mtime);
  return file;
}

const builds = (lines: string[]): boolean => lines.some((l) => l.includes('npm run build'));

test('make run skips the build when no source changed since the last one', (t) => {
  const fresh = stamp(t, new Date(Date.now() + 3600_000));
  const lines = dryRun('run', `BUILT=${fresh}`);
  assert.ok(!builds(lines), lines.join('\n'));
  assert.ok(
    lines.some((l) => l.includes('bin/kxds.js serve')),
    'it still runs kxds',
  );
});

test('make run builds when a source is newer than the last build', (t) => {
  const stale = stamp(t, new Date(1000));
  assert.ok(builds(dryRun('run', `BUILT=${stale}`)));
});

test('make build always builds', (t) => {
  const fresh = stamp(t, new Date(Date.now() + 3600_000));
  assert.ok(builds(dryRun('build', `BUILT=${fresh}`)));
});
