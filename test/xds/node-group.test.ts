// Node groups: one typed vocabulary; the key is formatted and parsed in one place and round-trips, equal
// groups (egress lists in any order, with repeats) have equal keys, and strings that are not keys parse to
// nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EDGE_GROUP,
  PROXYLESS_GROUP,
  nodeGroupKey,
  parseEgressList,
  parseNodeGroupKey,
  gatewayGroup,
  parseGatewayRef,
  sidecarGroup,
  proxylessGroup,
  type NodeGroup,
} from '../../src/xds/node-group';

test('every kind of group round-trips through its key', () => {
  const groups: [NodeGroup, string][] = [
    [EDGE_GROUP, 'edge'],
    [PROXYLESS_GROUP, 'proxyless'],
    [sidecarGroup('shop', false), 'sidecar/shop'],
    [sidecarGroup('shop', true), 'sidecar/shop/transparent'],
    [sidecarGroup('shop', false, ['b', 'a']), 'sidecar/shop?egress=a,b'],
    [sidecarGroup('shop', true, ['a']), 'sidecar/shop/transparent?egress=a'],
    [sidecarGroup('shop', false, []), 'sidecar/shop?egress='],
    [gatewayGroup('infra', 'edge-gw'), 'gateway/infra/edge-gw'],
    [gatewayGroup('infra', 'gw.example.com'), 'gateway/infra/gw.example.com'],
    [proxylessGroup('grpc', 'web'), 'proxyless?namespace=web'],
    [proxylessGroup('grpc-js', 'web'), 'proxyless/grpc-js?namespace=web'],
    [proxylessGroup('grpc-core', 'web-2'), 'proxyless/grpc-core?namespace=web-2'],
  ];
  for (const [group, key] of groups) {
    assert.equal(nodeGroupKey(group), key);
    assert.deepEqual(parseNodeGroupKey(key), group, key);
  }
});

test('egress lists in another order or with repeats name the same group', () => {
  assert.equal(
    nodeGroupKey(sidecarGroup('s', false, ['b', 'a', 'b'])),
    nodeGroupKey(sidecarGroup('s', false, ['a', 'b'])),
  );
  // A group built by hand, unsorted, still gets the canonical key.
  assert.equal(
    nodeGroupKey({ kind: 'sidecar', namespace: 's', transparent: false, egress: ['b', 'a'] }),
    'sidecar/s?egress=a,b',
  );
});

test('strings that no group formats to parse to nothing', () => {
  for (const key of [
    '',
    'Edge',
    'edge/x',
    'sidecar',
    'sidecar/',
    'sidecar/a/b',
    'sidecar/a/transparent/x',
    'gateway/a',
    'proxyless?namespace=',
    'proxyless?namespace=Web',
    'proxyless/bogus?namespace=web',
    'proxyless/grpc-js?egress=web',
    'gateway/a/b/c',
    'gateway/A/b',
    'gateway//b',
    'gateway/a/-b',
  ])
    assert.equal(parseNodeGroupKey(key), undefined, key);
});

test('parseEgressList trims, sorts and dedupes; "*" or nothing means every namespace', () => {
  assert.deepEqual(parseEgressList(' b, a ,b'), ['a', 'b']);
  assert.equal(parseEgressList('*'), undefined);
  assert.equal(parseEgressList(' , '), undefined);
  assert.equal(parseEgressList(undefined), undefined);
});

test('kxds.io/gateway names a Gateway as NAMESPACE/NAME, as Kubernetes spells names', () => {
  assert.deepEqual(parseGatewayRef('infra/web'), { kind: 'gateway', namespace: 'infra', name: 'web' });
  for (const bad of [
    'web',
    'infra/',
    '/web',
    'infra/web/x',
    'Infra/web',
    'infra/web_1',
    `${'a'.repeat(64)}/w`,
  ])
    assert.equal(parseGatewayRef(bad), undefined, bad);
});
