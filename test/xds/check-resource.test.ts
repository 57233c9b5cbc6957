import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { cluster, REALISTIC_RESOURCES } from './realistic-resources';

const CLUSTER = 'envoy.config.cluster.v3.Cluster';

test('every realistic resource passes validation and the round trip', () => {
  for (const [typeName, resource] of REALISTIC_RESOURCES)
    assert.deepEqual(checkEnvoyResource(typeName, resource), [], typeName);
});

test('validation errors and round-trip differences come back together, labelled', () => {
  assert.deepEqual(checkEnvoyResource(CLUSTER, { ...cluster, name: '', respect_dns_ttl: 'false' } as never), [
    'name: min_len 1, got 0',
    'respect_dns_ttl: expected a boolean, got string "false"',
    'round trip: respect_dns_ttl: built "false" (a string), decoded true',
  ]);
});

test('deprecated fields are problems unless allowed', () => {
  const deprecated = { ...cluster, http2_protocol_options: {} };
  assert.deepEqual(checkEnvoyResource(CLUSTER, deprecated), [
    'deprecated: http2_protocol_options: deprecated field',
  ]);
  assert.deepEqual(checkEnvoyResource(CLUSTER, deprecated, { allowDeprecated: true }), []);
});
