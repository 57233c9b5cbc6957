import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, pack, EncodeError } from '../../src/xds/encode';
import { lookupType } from '../../src/xds/protos';

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

test('enum names encode to their numbers; an unknown name is refused with its path', () => {
  const bytes = encodeMessage('envoy.config.cluster.v3.Cluster', {
    name: 'c',
    lb_policy: 'RING_HASH',
    type: 'EDS',
  });
  assert.deepEqual(decodeMessage('envoy.config.cluster.v3.Cluster', bytes), {
    name: 'c',
    lb_policy: 'RING_HASH',
    type: 'EDS',
  });
  assert.throws(
    () => encodeMessage('envoy.config.cluster.v3.Cluster', { name: 'c', lb_policy: 'ROUND_ROBINN' } as never),
    (err: unknown) =>
      err instanceof EncodeError && /lb_policy/.test(err.message) && /ROUND_ROBINN/.test(err.message),
  );
});

test('nested messages, durations, wrappers, maps and Any encode exactly like protobufjs fromObject', () => {
  const value = {
    name: 'c',
    type: 'EDS' as const,
    connect_timeout: { seconds: 5, nanos: 0 },
    per_connection_buffer_limit_bytes: { value: 1024 },
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' as const }, service_name: 'c' },
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': pack(
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        { explicit_http_config: { http2_protocol_options: {} } },
      ),
    },
  };
  const type = lookupType('envoy.config.cluster.v3.Cluster');
  const viaFromObject = Buffer.from(type.encode(type.fromObject(value)).finish());
  assert.deepEqual(encodeMessage('envoy.config.cluster.v3.Cluster', value), viaFromObject);
});
