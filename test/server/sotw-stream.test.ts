// SotW-only rules (the rules both protocols share are in stream-protocols.test.ts): stale nonces, the
// legacy wildcard, and a repeated nonce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SotwStream, type StreamEvents } from '../../src/server/sotw-stream';
import type { OutgoingResponse } from '../../src/server/discovery-codec';
import { TYPE_URLS } from '../../src/xds/types';
import { PROXYLESS_GROUP } from '../../src/xds/node-group';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { streamFixture } from './protocol-harness';

const node = { id: 'n1', user_agent_name: 'gRPC Node' };

const harness = (events: StreamEvents = {}) =>
  streamFixture<SotwStream, OutgoingResponse>(
    (sink, cache) => new SotwStream(sink, cache, () => PROXYLESS_GROUP, events),
  );

const greeter = service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]);
const slice = (ips: string[]) =>
  endpointSlice(
    'demo',
    'greeter',
    'greeter-1',
    [{ name: 'grpc', port: 9000 }],
    ips.map((ip) => ({ ip })),
  );

test('a request with a stale nonce is ignored', () => {
  const h = harness();
  h.publish(greeter, slice(['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint, resource_names: ['demo/greeter/50051'] });
  const old = h.last();
  h.publish(greeter, slice(['10.0.0.2']));
  assert.equal(h.sent.length, 2);
  // A NACK of the first response arrives after the second went out: stale, so no NACK is recorded.
  h.stream.handleRequest({
    type_url: TYPE_URLS.endpoint,
    resource_names: ['demo/greeter/50051'],
    response_nonce: old.nonce,
    error_detail: { message: 'late' },
  });
  assert.equal(h.stream.status()[0]?.nack, undefined);
  assert.equal(h.sent.length, 2);
});

test('an empty first LDS request is a wildcard; once names were sent, an empty list means nothing', () => {
  const h = harness();
  const other = service('demo', 'other', [{ port: 80 }]);
  h.publish(greeter, other);
  h.stream.handleRequest({ node, type_url: TYPE_URLS.listener });
  assert.equal(h.stream.status()[0]?.wildcard, true);
  const ack = () => ({ version_info: h.last().versionInfo, response_nonce: h.last().nonce });
  h.stream.handleRequest({ type_url: TYPE_URLS.listener, ...ack() });
  assert.equal(h.stream.status()[0]?.wildcard, true, 'still a wildcard while requests stay empty');
  h.stream.handleRequest({ type_url: TYPE_URLS.listener, resource_names: ['*'], ...ack() });
  h.stream.handleRequest({ type_url: TYPE_URLS.listener, resource_names: [], ...ack() });
  assert.equal(h.stream.status()[0]?.wildcard, false, 'after names, empty is nothing');
  assert.deepEqual([...(h.stream.status()[0]?.sent.keys() ?? [])], [], 'and nothing is held');
  const before = h.sent.length;
  h.publish(greeter);
  assert.equal(h.sent.length, before, 'a listener change is not sent to a stream that wants nothing');
});

test('a request repeating the newest nonce with other names is one ACK, not two', () => {
  const acks: string[] = [];
  const h = harness({ onAck: (_info, kind) => acks.push(kind) });
  h.publish(greeter, slice(['10.0.0.1']), service('demo', 'other', [{ port: 80 }]));
  h.stream.handleRequest({
    node,
    type_url: TYPE_URLS.route,
    resource_names: ['greeter.demo.svc.cluster.local:50051'],
  });
  const first = h.last();
  const request = { type_url: TYPE_URLS.route, version_info: first.versionInfo, response_nonce: first.nonce };
  h.stream.handleRequest({ ...request, resource_names: ['greeter.demo.svc.cluster.local:50051'] });
  // grpc-js sends the same nonce again when a channel adds a name before the next response.
  h.stream.handleRequest({
    ...request,
    resource_names: ['greeter.demo.svc.cluster.local:50051', 'other.demo.svc.cluster.local:80'],
  });
  assert.deepEqual(acks, ['route']);
  assert.equal(h.sent.length, 2, 'the new name is answered');
});
