import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, pack, EncodeError } from '../../src/xds/encode';

test('encodeMessage refuses an unknown field and names its path', () => {
  assert.throws(
    () =>
      encodeMessage('envoy.config.cluster.v3.Cluster', {
        name: 'a',
        load_assignment: { clustr_name: 'x' },
      } as never),
    (err: unknown) =>
      err instanceof EncodeError && /load_assignment/.test(err.message) && /clustr_name/.test(err.message),
  );
});

test('map keys are encoded in sorted order, so equal input gives equal bytes', () => {
  const a = encodeMessage('envoy.config.cluster.v3.Cluster', {
    name: 'c',
    metadata: { filter_metadata: { b: { fields: {} }, a: { fields: { x: { stringValue: '1' } } } } },
  });
  const b = encodeMessage('envoy.config.cluster.v3.Cluster', {
    name: 'c',
    metadata: { filter_metadata: { a: { fields: { x: { stringValue: '1' } } }, b: { fields: {} } } },
  });
  assert.deepEqual(a, b);
});

test('pack() makes an Any that decodes back with its @type', () => {
  const hcm = encodeMessage(
    'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    {
      stat_prefix: 's',
      http_filters: [
        { name: 'router', typed_config: pack('envoy.extensions.filters.http.router.v3.Router', {}) },
      ],
    },
  );
  const decoded = decodeMessage(
    'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    hcm,
  );
  assert.deepEqual(decoded, {
    stat_prefix: 's',
    http_filters: [
      {
        name: 'router',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
      },
    ],
  });
});
