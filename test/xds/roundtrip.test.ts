import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pack } from '../../src/xds/encode';
import { typeUrlOf } from '../../src/xds/protos';
import { checkRoundTrip } from '../../src/xds/roundtrip';
import { cluster, clusterLoadAssignment, REALISTIC_RESOURCES } from './realistic-resources';

const CLUSTER = 'envoy.config.cluster.v3.Cluster';
const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';

for (const [typeName, resource] of REALISTIC_RESOURCES) {
  const kind = typeName.slice(typeName.lastIndexOf('.') + 1);
  const named = resource as { name?: string; cluster_name?: string };
  test(`a realistic ${kind} (${named.name ?? named.cluster_name}) round-trips clean`, () => {
    assert.deepEqual(checkRoundTrip(typeName, resource), []);
  });
}

test('what protobuf cannot tell apart is forgiven: defaults, empty lists, long forms, bytes forms', () => {
  assert.deepEqual(
    checkRoundTrip(CLUSTER, {
      name: 'c',
      alt_stat_name: '',
      respect_dns_ttl: false,
      lb_policy: 'ROUND_ROBIN',
      dns_resolvers: [],
      typed_extension_protocol_options: {},
      connect_timeout: { seconds: '5', nanos: 0 },
      per_connection_buffer_limit_bytes: { value: 0 },
      lb_subset_config: {},
    }),
    [],
  );
  assert.deepEqual(
    checkRoundTrip('envoy.extensions.transport_sockets.tls.v3.Secret', {
      name: 's',
      generic_secret: { secret: { inline_bytes: Buffer.from('hello').toString('base64') } },
    }),
    [],
  );
  // Longs as numbers and as strings, and enums given by number, come back equal.
  assert.deepEqual(
    checkRoundTrip(CLUSTER, {
      name: 'c',
      lb_policy: 2,
      ring_hash_lb_config: { minimum_ring_size: { value: 1024 } },
    }),
    [],
  );
});

test('values protobufjs silently coerces or drops are differences naming the path', () => {
  assert.deepEqual(
    checkRoundTrip(CLUSTER, {
      ...cluster,
      respect_dns_ttl: 'false',
      per_connection_buffer_limit_bytes: { value: -1 },
      alt_stat_name: 42,
    } as never),
    [
      'alt_stat_name: built 42 (a number), decoded "42"',
      'per_connection_buffer_limit_bytes.value: built -1 (a number), decoded 4294967295',
      'respect_dns_ttl: built "false" (a string), decoded true',
    ],
  );
  // An unknown enum name is no longer dropped silently: the strict encoder refuses it, naming the path.
  assert.deepEqual(checkRoundTrip(CLUSTER, { ...cluster, lb_policy: 'RING_HASHH' } as never), [
    `lb_policy: can't be encoded: unknown LbPolicy value "RING_HASHH"`,
  ]);
  const weights = {
    ...clusterLoadAssignment,
    endpoints: [{ load_balancing_weight: { value: 1.5 }, lb_endpoints: [] }],
  };
  assert.deepEqual(checkRoundTrip('envoy.config.endpoint.v3.ClusterLoadAssignment', weights), [
    'endpoints[0].load_balancing_weight.value: built 1.5 (a number), decoded 1',
  ]);
});

test('a 64-bit value given as an unsafe JS number is a difference: its digits were already lost', () => {
  assert.deepEqual(
    checkRoundTrip(CLUSTER, {
      name: 'c',
      ring_hash_lb_config: { minimum_ring_size: { value: 2 ** 60 + 1 } },
    }),
    [
      'ring_hash_lb_config.minimum_ring_size.value: built 1152921504606847000 (a number), decoded 1152921504606846976',
    ],
  );
});

test('a Struct with wrong-case keys is refused by the strict encoder, with its path', () => {
  assert.deepEqual(
    checkRoundTrip(CLUSTER, {
      name: 'c',
      metadata: { filter_metadata: { k: { fields: { x: { string_value: 'y' } } } } },
    }),
    ['metadata.filter_metadata[k].fields[x]: can\'t be encoded: unknown field "string_value"'],
  );
});

test('Any: bytes that hold fields the type_url type does not define are reported inside the Any', () => {
  // Field 99 (varint 1) means nothing to Router: protobufjs skips it on decode, and Envoy would too.
  const stray = Buffer.from([0x98, 0x06, 0x01]);
  const hcm = {
    stat_prefix: 's',
    http_filters: [{ name: 'router', typed_config: { type_url: typeUrlOf(ROUTER), value: stray } }],
  };
  assert.deepEqual(checkRoundTrip(HCM, hcm), [
    'http_filters[0].typed_config(Router): the 3 packed bytes re-encode to 0 different bytes: they hold data envoy.extensions.filters.http.router.v3.Router does not define',
  ]);
});

test('Any: bytes of another type, an unknown type, and problems nested two Anys deep', () => {
  const wrongBytes = pack(HCM, { stat_prefix: 'inner' }).value;
  const labelledRouter = {
    stat_prefix: 's',
    http_filters: [{ name: 'r', typed_config: { type_url: typeUrlOf(ROUTER), value: wrongBytes } }],
  };
  const differences = checkRoundTrip(HCM, labelledRouter);
  assert.equal(differences.length, 1);
  assert.match(
    differences[0]!,
    /^http_filters\[0\]\.typed_config: bytes don't decode as envoy\.extensions\.filters\.http\.router\.v3\.Router: /,
  );
  const unknown = {
    stat_prefix: 's',
    http_filters: [
      { name: 'x', typed_config: { type_url: 'type.googleapis.com/x.Y', value: Buffer.alloc(0) } },
    ],
  };
  assert.deepEqual(checkRoundTrip(HCM, unknown), [
    'http_filters[0].typed_config: Any of unknown type "type.googleapis.com/x.Y" can\'t be checked',
  ]);
  const stray = { type_url: typeUrlOf(ROUTER), value: Buffer.from([0x98, 0x06, 0x01]) };
  const listener = {
    name: 'l',
    filter_chains: [
      {
        filters: [
          {
            name: 'hcm',
            typed_config: pack(HCM, { stat_prefix: 's', http_filters: [{ name: 'r', typed_config: stray }] }),
          },
        ],
      },
    ],
  };
  assert.deepEqual(checkRoundTrip('envoy.config.listener.v3.Listener', listener), [
    'filter_chains[0].filters[0].typed_config(HttpConnectionManager).http_filters[0].typed_config(Router): the 3 packed bytes re-encode to 0 different bytes: they hold data envoy.extensions.filters.http.router.v3.Router does not define',
  ]);
});

test('unknown type names and unknown fields are reported, not thrown', () => {
  assert.deepEqual(checkRoundTrip('envoy.nowhere.Thing', {}), [
    '<root>: unknown message type "envoy.nowhere.Thing"',
  ]);
  assert.deepEqual(checkRoundTrip(CLUSTER, { name: 'c', load_assignment: { clustr_name: 'x' } }), [
    'load_assignment: can\'t be encoded: unknown field "clustr_name"',
  ]);
});
