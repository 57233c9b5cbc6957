// Compares a golden output with its committed file, or (UPDATE_GOLDEN=1, npm run golden:update) rewrites
// it; a missing file is written and the test fails once so a new case gets reviewed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

export function assertGolden(outPath: string, text: string): void {
  const update = process.env.UPDATE_GOLDEN === '1';
  if (update || !existsSync(outPath)) {
    writeFileSync(outPath, text);
    if (!update) assert.fail(`${basename(outPath)} did not exist; written now, review it and run again`);
    return;
  }
  assert.equal(text, readFileSync(outPath, 'utf8'), `${basename(outPath)}: run npm run golden:update and review the diff`);
}
