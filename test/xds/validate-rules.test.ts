// Rule families no loaded Envoy type uses (or not reachably), checked on the kxds.test.v1 fixture messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage } from '../../src/xds/encode';
import { typeUrlOf } from '../../src/xds/protos';
import { validateMessage } from '../../src/xds/validate';
import { loadValidateFixtures } from './validate-fixtures';

loadValidateFixtures();

const SCALARS = 'kxds.test.v1.Scalars';
const CONTAINERS = 'kxds.test.v1.Containers';
const MESSAGES = 'kxds.test.v1.Messages';

function errorsOf(typeName: string, value: object): string[] {
  const result = validateMessage(typeName, value);
  return result.valid ? [] : result.errors;
}

// The defaults of Scalars break only `only_red` (const RED); every case below starts from a valid object.
const validScalars = { only_red: 'RED' };
const scalarErrors = (extra: object) => errorsOf(SCALARS, { ...validScalars, ...extra });

test('the fixture defaults are valid once only_red is RED', () => {
  assert.deepEqual(scalarErrors({}), []);
});

test('string prefix, suffix, contains, len, not_in, not_contains, max_len, const, bytes', () => {
  assert.deepEqual(scalarErrors({ text: 'abmyz' }), []);
  assert.deepEqual(scalarErrors({ text: 'xbmyz' }), ['text: prefix "ab", got "xbmyz"']);
  assert.deepEqual(scalarErrors({ text: 'abmyy' }), ['text: suffix "yz", got "abmyy"']);
  assert.deepEqual(scalarErrors({ text: 'abxyz' }), ['text: contains "m", got "abxyz"']);
  assert.deepEqual(scalarErrors({ text: 'abmmyz' }), ['text: len 5, got 6']);
  assert.deepEqual(scalarErrors({ word: 'worse' }), ['word: not_in ["bad", "worse"], got "worse"']);
  assert.deepEqual(scalarErrors({ word: 'no!' }), ['word: not_contains "!", got "no!"']);
  // max_len counts characters, max_bytes counts UTF-8 bytes.
  assert.deepEqual(scalarErrors({ word: 'éééééé' }), []);
  assert.deepEqual(scalarErrors({ word: 'ééééééé' }), ['word: max_len 6, got 7']);
  assert.deepEqual(scalarErrors({ bytes_text: 'éé' }), []);
  assert.deepEqual(scalarErrors({ bytes_text: 'ééé' }), ['bytes_text: max_bytes 4, got 6']);
  assert.deepEqual(scalarErrors({ bytes_text: 'a' }), ['bytes_text: min_bytes 2, got 1']);
  assert.deepEqual(scalarErrors({ const_text: 'fixed' }), []);
  assert.deepEqual(scalarErrors({ const_text: 'other' }), ['const_text: const "fixed", got "other"']);
});

test('string formats: hostname, ip, address, ipv6, email, uuid, uri', () => {
  const valid = {
    host: 'greeter.demo.svc.cluster.local',
    ip: '10.0.0.1',
    addr: 'fd00::1',
    ipv6: '::1',
    email: 'ops@example.com',
    uuid: '123e4567-e89b-12d3-a456-426614174000',
    uri: 'https://example.com/x?y=1',
  };
  assert.deepEqual(scalarErrors(valid), []);
  assert.deepEqual(scalarErrors({ addr: 'backend-1.demo' }), []);
  assert.deepEqual(
    scalarErrors({
      host: '-bad.example',
      ip: '10.0.0.256',
      addr: 'under_score.example',
      ipv6: '10.0.0.1',
      email: 'no-at-sign',
      uuid: '123e4567',
      uri: '/relative',
    }),
    [
      'host: hostname, got "-bad.example"',
      'ip: ip, got "10.0.0.256"',
      'addr: address, got "under_score.example"',
      'ipv6: ipv6, got "10.0.0.1"',
      'email: email, got "no-at-sign"',
      'uuid: uuid, got "123e4567"',
      'uri: uri, got "/relative"',
    ],
  );
  assert.deepEqual(scalarErrors({ host: `${'a'.repeat(64)}.example` }), [
    `host: hostname, got "${'a'.repeat(64)}.example"`,
  ]);
});

test('numbers: exclusive range, gte/lte, in, const, float, not_in, 64-bit as strings', () => {
  // outside: lt 10, gt 20 -> the value must lie outside [10, 20].
  assert.deepEqual(scalarErrors({ outside: 9 }), []);
  assert.deepEqual(scalarErrors({ outside: 21 }), []);
  assert.deepEqual(scalarErrors({ outside: 15 }), ['outside: gt 20 or lt 10 (exclusive range), got 15']);
  assert.deepEqual(scalarErrors({ outside: 10 }), ['outside: gt 20 or lt 10 (exclusive range), got 10']);
  assert.deepEqual(scalarErrors({ inside: '-5' }), []);
  assert.deepEqual(scalarErrors({ inside: -6 }), ['inside: gte -5, got -6']);
  assert.deepEqual(scalarErrors({ inside: '6' }), ['inside: lte 5, got 6']);
  assert.deepEqual(scalarErrors({ picked: 4 }), ['picked: in [1, 2, 3], got 4']);
  assert.deepEqual(scalarErrors({ fixed: '8' }), ['fixed: const 7, got 8']);
  assert.deepEqual(scalarErrors({ ratio: 0.5 }), []);
  assert.deepEqual(scalarErrors({ ratio: 1 }), ['ratio: lt 1, got 1']);
  assert.deepEqual(scalarErrors({ avoided: 13 }), ['avoided: not_in [13], got 13']);
  assert.deepEqual(scalarErrors({ picked: 1.5 }), ['picked: expected an integer, got 1.5']);
  assert.deepEqual(scalarErrors({ avoided: 2 ** 60 }), [
    'avoided: 1152921504606847000 is beyond 2^53, give it as a string',
  ]);
});

test('proto3 optional scalars are checked only when set', () => {
  assert.deepEqual(scalarErrors({ maybe: 101 }), []);
  assert.deepEqual(scalarErrors({ maybe: 0 }), ['maybe: gt 100, got 0']);
});

test('bytes min_len/max_len/ipv4, given as Buffers or base64', () => {
  assert.deepEqual(scalarErrors({ blob: Buffer.from('abcd') }), []);
  assert.deepEqual(scalarErrors({ blob: Buffer.from('abcde') }), ['blob: max_len 4, got 5']);
  assert.deepEqual(scalarErrors({ blob: Buffer.from('abcde').toString('base64') }), [
    'blob: max_len 4, got 5',
  ]);
  assert.deepEqual(scalarErrors({ ip4: Buffer.from([10, 0, 0, 1]) }), []);
  assert.deepEqual(scalarErrors({ ip4: Buffer.from([10, 0, 0]) }), ['ip4: ipv4 (4 bytes), got <3 bytes>']);
});

test('enum in, not_in, const, defined_only', () => {
  assert.deepEqual(scalarErrors({ color: 'BLUE' }), ['color: in [COLOR_UNSET, RED, GREEN], got BLUE']);
  assert.deepEqual(scalarErrors({ not_blue: 3 }), ['not_blue: not_in [BLUE], got BLUE']);
  assert.deepEqual(scalarErrors({ only_red: 'GREEN' }), ['only_red: const RED, got GREEN']);
  assert.deepEqual(scalarErrors({ only_red: 9 }), [
    'only_red: 9 is not a defined value of kxds.test.v1.Color',
    'only_red: const RED, got 9',
    'only_red: defined_only, got 9',
  ]);
});

test('maps: min/max pairs, key rules, value rules, no_sparse, integer keys', () => {
  const leaves = (map: object) => errorsOf(CONTAINERS, { leaves: map });
  assert.deepEqual(leaves({ k1: { id: 'a' } }), []);
  assert.deepEqual(leaves({}), ['leaves: min_pairs 1, got 0']);
  assert.deepEqual(leaves({ k1: { id: 'a' }, k2: { id: 'b' }, k3: { id: 'c' } }), [
    'leaves: max_pairs 2, got 3',
  ]);
  assert.deepEqual(leaves({ x1: { id: 'a' } }), ['leaves[x1]: prefix "k", got "x1"']);
  assert.deepEqual(leaves({ k1: { id: '' } }), ['leaves[k1].id: min_len 1, got 0']);
  assert.deepEqual(leaves({ k1: null }), ['leaves[k1]: no_sparse, got an empty value']);
  const byNumber = (map: object) => errorsOf(CONTAINERS, { leaves: { k: { id: 'a' } }, by_number: map });
  assert.deepEqual(byNumber({ 10: 'ok' }), []);
  assert.deepEqual(byNumber({ 11: 'ok', 1: 'x' }), [
    'by_number[1]: min_len 2, got 1',
    'by_number[11]: lte 10, got 11',
  ]);
});

test('repeated: unique, max_items, items, ignore_empty, enum items', () => {
  const lists = (extra: object) => errorsOf(CONTAINERS, { leaves: { k: { id: 'a' } }, ...extra });
  assert.deepEqual(lists({ numbers: [1, 2, 3], list: [] }), []);
  assert.deepEqual(lists({ numbers: [1, 2, 1] }), ['numbers[2]: unique, 1 repeats an earlier item']);
  assert.deepEqual(lists({ numbers: [1, 2, 3, 4] }), ['numbers: max_items 3, got 4']);
  assert.deepEqual(lists({ numbers: [-1] }), ['numbers[0]: gte 0, got -1']);
  assert.deepEqual(lists({ list: [{ id: 'a' }] }), ['list: min_items 2, got 1']);
  assert.deepEqual(lists({ list: [{ id: 'a' }, null] }), ['list[1]: a list item is null']);
  assert.deepEqual(lists({ colors: ['RED', 7] }), [
    'colors[1]: 7 is not a defined value of kxds.test.v1.Color',
    'colors[1]: defined_only, got 7',
  ]);
});

const validMessages = {
  a: 'x',
  any: { type_url: typeUrlOf('kxds.test.v1.Leaf'), value: encodeMessage('kxds.test.v1.Leaf', { id: 'l' }) },
};
const messageErrors = (extra: object) => errorsOf(MESSAGES, { ...validMessages, ...extra });

test('message skip, nested messages, wrappers of strings and bools', () => {
  assert.deepEqual(messageErrors({}), []);
  assert.deepEqual(messageErrors({ skipped: { id: '' } }), []);
  assert.deepEqual(messageErrors({ checked: { id: '' } }), ['checked.id: min_len 1, got 0']);
  assert.deepEqual(messageErrors({ wrapped: { value: 'ab' } }), ['wrapped: min_len 3, got 2']);
  assert.deepEqual(messageErrors({ must_true: { value: false } }), ['must_true: const true, got false']);
  assert.deepEqual(messageErrors({ must_true: { value: true } }), []);
});

test('Any: required, in, not_in, and the rules of the packed message', () => {
  const { any: _any, ...withoutAny } = validMessages;
  assert.deepEqual(errorsOf(MESSAGES, withoutAny), ['any: required, but not set']);
  const packedScalars = {
    type_url: typeUrlOf(SCALARS),
    value: encodeMessage(SCALARS, { only_red: 'RED', picked: 9 }),
  };
  assert.deepEqual(messageErrors({ any: packedScalars }), ['any(Scalars).picked: in [1, 2, 3], got 9']);
  const packedContainers = {
    type_url: typeUrlOf(CONTAINERS),
    value: encodeMessage(CONTAINERS, { leaves: { k: { id: 'a' } } }),
  };
  assert.deepEqual(messageErrors({ any: packedContainers }), [
    'any: in ["type.googleapis.com/kxds.test.v1.Leaf", "type.googleapis.com/kxds.test.v1.Scalars"], got "type.googleapis.com/kxds.test.v1.Containers"',
  ]);
  assert.deepEqual(messageErrors({ not_leaf: validMessages.any }), [
    'not_leaf: not_in ["type.googleapis.com/kxds.test.v1.Leaf"], got "type.googleapis.com/kxds.test.v1.Leaf"',
  ]);
  assert.deepEqual(
    messageErrors({ any: { type_url: typeUrlOf('kxds.test.v1.Leaf'), value: Buffer.from([0x0a]) } }),
    ["any: bytes don't decode as kxds.test.v1.Leaf: index out of range: 1 + 1 > 1"],
  );
});

test('Timestamps: lt_now and gt; Durations: in, not_in', () => {
  const now = Math.floor(Date.now() / 1000);
  assert.deepEqual(messageErrors({ past: { seconds: now - 60 }, after_2020: { seconds: 1600000000 } }), []);
  assert.deepEqual(messageErrors({ past: { seconds: now + 3600 } }), [
    `past: lt_now, got ${new Date((now + 3600) * 1000).toISOString()}`,
  ]);
  assert.deepEqual(messageErrors({ after_2020: { seconds: 1500000000 } }), [
    'after_2020: gt 2020-01-01T00:00:00.000Z, got 2017-07-14T02:40:00.000Z',
  ]);
  assert.deepEqual(messageErrors({ exact: { seconds: 1 }, never_five: { seconds: 4 } }), []);
  assert.deepEqual(messageErrors({ exact: { seconds: 2 } }), ['exact: in [1s], got 2s']);
  assert.deepEqual(messageErrors({ never_five: { seconds: 5 } }), ['never_five: not_in [5s], got 5s']);
  assert.deepEqual(messageErrors({ never_five: { seconds: 11 } }), ['never_five: lt 10s, got 11s']);
});

test('oneof required counts a set member at its default value as set', () => {
  const { a: _a, ...none } = validMessages;
  assert.deepEqual(errorsOf(MESSAGES, none), ['choice: oneof required, none set (one of a, b)']);
  assert.deepEqual(errorsOf(MESSAGES, { ...none, a: '' }), []);
  assert.deepEqual(errorsOf(MESSAGES, { ...none, b: 0 }), ['b: gt 0, got 0']);
});

test('(validate.disabled) turns off the message rules but not the structural checks', () => {
  assert.deepEqual(errorsOf('kxds.test.v1.Disabled', { name: '' }), []);
  assert.deepEqual(errorsOf('kxds.test.v1.Disabled', { x: 'a', y: 'b' }), [
    'must: more than one member of the oneof set: x, y',
  ]);
  assert.deepEqual(errorsOf('kxds.test.v1.Disabled', { nme: 'a' }), [
    'nme: unknown field of kxds.test.v1.Disabled',
  ]);
});

test('a deprecated enum value is a warning', () => {
  assert.deepEqual(validateMessage(SCALARS, { ...validScalars, not_blue: 'PURPLE' }), {
    valid: true,
    warnings: ['not_blue: deprecated value PURPLE'],
  });
});
