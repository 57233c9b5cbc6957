// The status page's route column: a Prefix path /foo is shown as /foo (it matches /foo and /foo/x), not
// as /foo/, which reads as if /foo itself were not matched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchText } from '../../src/admin/routes-table';

test('paths are shown as written in the Ingress', () => {
  assert.equal(matchText({ path_separated_prefix: '/foo' }), '/foo');
  assert.equal(matchText({ prefix: '/' }), '/');
  assert.equal(matchText({ path: '/x' }), '= /x');
  assert.equal(matchText({ safe_regex: { regex: '/a.*' } }), '~ /a.*');
});
