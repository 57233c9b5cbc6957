// NodeMatcher semantics used by CSDS: StringMatcher variants on node.id and StructMatcher on metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchAny, matchNode, matchString } from '../../src/server/node-matcher';

test('StringMatcher: exact, prefix, suffix, contains, regex (whole string), ignore_case, empty', () => {
  assert.equal(matchString({ exact: 'edge-1' }, 'edge-1'), true);
  assert.equal(matchString({ exact: 'edge-1' }, 'edge-10'), false);
  assert.equal(matchString({ prefix: 'edge-' }, 'edge-10'), true);
  assert.equal(matchString({ suffix: '.demo' }, 'web.demo'), true);
  assert.equal(matchString({ contains: 'greet' }, 'my-greeter-1'), true);
  assert.equal(matchString({ safe_regex: { regex: 'edge-[0-9]+' } }, 'edge-12'), true);
  assert.equal(
    matchString({ safe_regex: { regex: 'edge-[0-9]+' } }, 'xedge-12'),
    false,
    'anchored like RE2 full match',
  );
  assert.equal(matchString({ safe_regex: { regex: '(' } }, 'x'), false, 'a broken regex matches nothing');
  // RE2 semantics, not JavaScript's: RE2-only syntax works, what RE2 refuses matches nothing.
  assert.equal(matchString({ safe_regex: { regex: '(?i)EDGE-(?P<n>[0-9]+)' } }, 'edge-12'), true);
  assert.equal(matchString({ safe_regex: { regex: 'edge\\Z' } }, 'edgeZ'), false, '\\Z is not RE2');
  assert.equal(
    matchString({ safe_regex: { regex: 'EDGE' }, ignore_case: true }, 'edge'),
    false,
    'as in Envoy',
  );
  assert.equal(matchString({ exact: 'EDGE', ignore_case: true }, 'edge'), true);
  assert.equal(matchString({ exact: 'EDGE' }, 'edge'), false);
  assert.equal(matchString({}, 'anything'), true);
});

test('NodeMatcher: node_id and every metadata matcher must hold; several matchers are OR-ed', () => {
  const node = { id: 'edge-1', metadata: { 'kxds.io/role': 'edge', nested: { zone: 'a' } } };
  const role = (r: string) => ({
    node_metadatas: [{ path: [{ key: 'kxds.io/role' }], value: { string_match: { exact: r } } }],
  });
  assert.equal(matchNode(role('edge'), node), true);
  assert.equal(matchNode(role('sidecar'), node), false);
  assert.equal(matchNode({ node_id: { prefix: 'edge' }, ...role('sidecar') }, node), false);
  assert.equal(
    matchNode(
      {
        node_metadatas: [
          { path: [{ key: 'nested' }, { key: 'zone' }], value: { string_match: { exact: 'a' } } },
        ],
      },
      node,
    ),
    true,
  );
  assert.equal(
    matchNode({ node_metadatas: [{ path: [{ key: 'missing' }], value: { present_match: false } }] }, node),
    true,
  );
  assert.equal(matchAny([], node), true, 'no matcher selects everything');
  assert.equal(matchAny([role('sidecar'), { node_id: { exact: 'edge-1' } }], node), true);
  assert.equal(matchAny([role('sidecar'), { node_id: { exact: 'edge-2' } }], node), false);
});
