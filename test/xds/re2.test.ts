// The RE2 check kxds runs on every regex before sending it: RE2 syntax JavaScript lacks is accepted, what
// RE2 refuses is refused with its reason, and Envoy's program-size limit is held at its boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENVOY_MAX_PROGRAM_SIZE, re2Problem } from '../../src/xds/re2';

test('RE2 syntax that JavaScript RegExp refuses is accepted', () => {
  for (const pattern of ['(?i)/foo', '/(?P<n>x+)', '/(?<n>x+)', '/\\pL+', '/[[:alpha:]]+', '/\\Qa.b\\E']) {
    assert.equal(re2Problem(pattern), undefined, pattern);
  }
});

test('what RE2 refuses is refused with its reason, though JavaScript RegExp compiles it', () => {
  const cases: Array<[string, string]> = [
    ['/a\\Z', 'invalid escape sequence'],
    ['/x{1001}', 'invalid repeat count'],
    ['/(?=a)', 'invalid or unsupported Perl syntax'],
    ['/(?<!a)b', 'invalid'],
    ['/(a)\\1', 'invalid escape sequence'],
  ];
  for (const [pattern, reason] of cases) {
    new RegExp(pattern); // JavaScript would have let it through
    const problem = re2Problem(pattern);
    assert.ok(problem?.startsWith('is not valid RE2 ('), `${pattern}: ${problem}`);
    assert.ok(problem?.includes(reason), `${pattern}: ${problem}`);
  }
});

test("Envoy's program-size limit of 100 is applied at its boundary", () => {
  assert.equal(ENVOY_MAX_PROGRAM_SIZE, 100);
  // re2js: a{n} is n instructions plus 2 (fail and match).
  assert.equal(re2Problem(`a{${ENVOY_MAX_PROGRAM_SIZE - 2}}`), undefined);
  assert.equal(
    re2Problem(`a{${ENVOY_MAX_PROGRAM_SIZE - 1}}`),
    "compiles to an RE2 program of size 101, over Envoy's limit of 100",
  );
});
