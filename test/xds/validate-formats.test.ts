import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostname, matchesWellKnownRegex, re2Pattern } from '../../src/xds/validate-formats';

test('RE2-only syntax is rewritten: leading flags, named groups, \\A and \\z', () => {
  const caseless = re2Pattern('(?i)^grpc-');
  assert.ok(caseless instanceof RegExp);
  assert.ok(caseless.test('GRPC-status'));
  const named = re2Pattern('^(?P<ver>v[0-9]+)/');
  assert.ok(named instanceof RegExp);
  assert.equal(named.exec('v3/x')?.groups?.ver, 'v3');
  const anchored = re2Pattern('\\Aabc\\z');
  assert.ok(anchored instanceof RegExp);
  assert.ok(anchored.test('abc'));
  assert.ok(!anchored.test('abc\n'));
});

test('a pattern JavaScript cannot compile comes back as an Error, not a throw', () => {
  assert.ok(re2Pattern('(unclosed') instanceof Error);
});

test('HTTP header regexes: strict follows RFC 7230, loose forbids only NUL, CR, LF', () => {
  assert.ok(matchesWellKnownRegex('HTTP_HEADER_NAME', true, ':authority'));
  assert.ok(!matchesWellKnownRegex('HTTP_HEADER_NAME', true, 'a b'));
  assert.ok(!matchesWellKnownRegex('HTTP_HEADER_NAME', true, ''));
  assert.ok(matchesWellKnownRegex('HTTP_HEADER_NAME', false, 'a b'));
  assert.ok(!matchesWellKnownRegex('HTTP_HEADER_NAME', false, 'a\u0000'));
  assert.ok(matchesWellKnownRegex('HTTP_HEADER_VALUE', true, 'text/plain; q=1\t'));
  assert.ok(!matchesWellKnownRegex('HTTP_HEADER_VALUE', true, 'a\u0001'));
  assert.ok(matchesWellKnownRegex('HTTP_HEADER_VALUE', false, 'a\u0001'));
});

test('hostnames: trailing dot allowed, labels of at most 63 chars, no edge hyphens', () => {
  assert.ok(isHostname('example.com.'));
  assert.ok(isHostname('a-b.c'));
  assert.ok(!isHostname('a-.c'));
  assert.ok(!isHostname(''));
  assert.ok(!isHostname('a..b'));
  assert.ok(!isHostname(`${'x'.repeat(64)}.c`));
});
