// The protobuf JSON mapping of encoded Envoy messages (well-known types as Envoy's loader expects them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, pack } from '../../src/xds/encode';
import { toProtoJson } from '../../src/xds/proto-json';

test('toProtoJson writes well-known types the way Envoy reads them', () => {
  const cluster = 'envoy.config.cluster.v3.Cluster';
  const json = toProtoJson(
    cluster,
    encodeMessage(cluster, {
      name: 'c',
      type: 'STRICT_DNS',
      connect_timeout: { seconds: 1, nanos: 500_000_000 },
      dns_refresh_rate: { nanos: 1_000 },
      per_connection_buffer_limit_bytes: { value: 32768 },
      respect_dns_ttl: true,
      metadata: {
        filter_metadata: {
          kxds: {
            fields: {
              n: { numberValue: 2.5 },
              b: { boolValue: false },
              l: { listValue: { values: [{ stringValue: 'x' }, { nullValue: 'NULL_VALUE' }] } },
              s: { structValue: { fields: { k: { stringValue: 'v' } } } },
            },
          },
        },
      },
      transport_socket: {
        name: 'tls',
        typed_config: pack('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
          common_tls_context: {
            validation_context: { trusted_ca: { inline_bytes: Buffer.from('pem') } },
          },
        }),
      },
    }),
  );
  assert.deepEqual(json, {
    name: 'c',
    type: 'STRICT_DNS',
    connect_timeout: '1.500s',
    dns_refresh_rate: '0.000001s',
    per_connection_buffer_limit_bytes: 32768,
    respect_dns_ttl: true,
    metadata: { filter_metadata: { kxds: { b: false, l: ['x', null], n: 2.5, s: { k: 'v' } } } },
    transport_socket: {
      name: 'tls',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
        common_tls_context: {
          validation_context: { trusted_ca: { inline_bytes: Buffer.from('pem').toString('base64') } },
        },
      },
    },
  });
});

test('toProtoJson leaves out fields that were never set, including empty lists and maps', () => {
  const type = 'envoy.config.cluster.v3.Cluster';
  assert.deepEqual(toProtoJson(type, encodeMessage(type, { name: 'only' })), { name: 'only' });
});
