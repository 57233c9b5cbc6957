// The hand-written SotW request decoder: it must read what protobufjs reads (the names lazily, from their
// wire bytes), and a SotW stream fed wire requests must still notice every change of the names list while
// skipping the lists that are byte-identical to the previous one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupType } from '../../src/xds/protos';
import {
  decodeDiscoveryRequest,
  decodeXdsRequest,
  requestNames,
  type DiscoveryRequest,
} from '../../src/server/discovery-codec';
import { TYPE_URLS } from '../../src/xds/types';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { protocolClient } from './protocol-harness';

const REQUEST = 'envoy.service.discovery.v3.DiscoveryRequest';

function encode(request: Record<string, unknown>): Buffer {
  const type = lookupType(REQUEST);
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

const cases: Record<string, unknown>[] = [
  {},
  { type_url: TYPE_URLS.endpoint, resource_names: ['a', 'b/c', 'ü'] },
  {
    version_info: '7',
    response_nonce: '12',
    type_url: TYPE_URLS.cluster,
    node: {
      id: 'n1',
      cluster: 'c',
      user_agent_name: 'envoy',
      locality: { zone: 'z1' },
      client_features: ['f1'],
      metadata: { fields: { 'kxds.io/role': { stringValue: 'edge' }, n: { numberValue: 2 } } },
    },
  },
  {
    version_info: '3',
    response_nonce: '4',
    type_url: TYPE_URLS.route,
    resource_names: ['r'],
    error_detail: { code: 3, message: 'bad route' },
  },
];

test('decodeDiscoveryRequest reads what protobufjs reads, names through requestNames', () => {
  for (const request of cases) {
    const bytes = encode(request);
    const generic = decodeXdsRequest<DiscoveryRequest>(REQUEST, bytes);
    const fast = decodeDiscoveryRequest(bytes);
    assert.equal(fast.resource_names, undefined, 'names are not decoded up front');
    const { resource_names_wire: wire, ...rest } = fast;
    assert.ok(wire);
    const names = requestNames(fast);
    assert.deepEqual(
      { ...rest, ...(names.length > 0 ? { resource_names: names } : {}) },
      generic,
      JSON.stringify(request),
    );
  }
});

test('the same names in other bytes are the same list; names given in-process win over wire bytes', () => {
  const a = decodeDiscoveryRequest(encode({ resource_names: ['x', 'y'], version_info: '1' }));
  const b = decodeDiscoveryRequest(encode({ version_info: '2', resource_names: ['x', 'y'] }));
  assert.deepEqual(requestNames(a), requestNames(b));
  assert.deepEqual(requestNames({ resource_names: ['z'], resource_names_wire: a.resource_names_wire }), [
    'z',
  ]);
});

test('a SotW stream fed wire requests skips an unchanged list and still sees a changed one', () => {
  const c = protocolClient('sotw');
  c.publish(
    service('demo', 'a', [{ name: 'grpc', port: 50051 }]),
    endpointSlice('demo', 'a', 'a-1', [{ name: 'grpc', port: 9000 }], [{ ip: '10.0.0.1' }]),
    service('demo', 'b', [{ name: 'grpc', port: 50051 }]),
    endpointSlice('demo', 'b', 'b-1', [{ name: 'grpc', port: 9000 }], [{ ip: '10.0.0.2' }]),
  );
  const wire = (names: string[], ack?: { version: string; nonce: string }) =>
    decodeDiscoveryRequest(
      encode({
        type_url: TYPE_URLS.endpoint,
        resource_names: names,
        ...(ack ? { version_info: ack.version, response_nonce: ack.nonce } : {}),
        node: { id: 'n1', user_agent_name: 'gRPC Node' },
      }),
    );
  c.stream.handleRequest(wire(['demo/a/50051']));
  assert.equal(c.responses.length, 1);
  const first = c.last('endpoint');
  assert.deepEqual(first.names, ['demo/a/50051']);
  c.stream.handleRequest(wire(['demo/a/50051'], first));
  assert.equal(c.responses.length, 1, 'an ACK repeating the list gets no response');
  assert.equal(c.status()[0]?.ackedVersion, first.version, 'and is an ACK');
  c.stream.handleRequest(wire(['demo/a/50051', 'demo/b/50051'], first));
  assert.deepEqual(c.last('endpoint').names, ['demo/b/50051'], 'a list with one more name gets that name');
  c.stream.handleRequest(wire(['demo/b/50051'], c.last('endpoint')));
  c.stream.handleRequest(wire(['demo/a/50051', 'demo/b/50051'], c.last('endpoint')));
  assert.deepEqual(c.last('endpoint').names, ['demo/a/50051'], 'a name dropped and asked again is re-sent');
});
