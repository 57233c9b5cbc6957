// The alias budget: a document whose aliases expand past the limit is refused, including one that nests
// itself (a cycle), within the budget's memory rather than the expansion's. Found by `make fuzz`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../src/sources/manifest-parse';
import { expandsBeyond } from '../../src/sources/yaml-expansion';

test('sizes are counted with aliases expanded', () => {
  const big = 'x'.repeat(1000);
  assert.equal(expandsBeyond({ a: big }, 2000), false);
  assert.equal(expandsBeyond({ a: big, b: big, c: big }, 2000), true);
});

test('a self-nesting alias is refused with bounded memory, not after gigabytes', () => {
  const before = process.memoryUsage().rss;
  const result = parseManifest(`a: &x [${'*x,'.repeat(49)}]\n`);
  assert.ok(!result.ok && /aliases expand it beyond 16 MiB/.test(result.problems[0]?.reason ?? ''));
  // Charged on visit, the stack grew to ~100 million entries (3.5 GB); charged on push it stays at 2 million.
  const grewMb = (process.memoryUsage().rss - before) / 1048576;
  assert.ok(grewMb < 600, `RSS grew ${Math.round(grewMb)} MiB`);
});
