// Delta-only rules with a fake sink (the rules both protocols share are in stream-protocols.test.ts):
// unknown nonces, unsubscribing the wildcard, and an empty first EDS request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeltaStream } from '../../src/server/delta-stream';
import type { OutgoingDeltaResponse } from '../../src/server/delta-codec';
import { emptyResourceSet, TYPE_URLS } from '../../src/xds/types';
import { buildSnapshot } from '../../src/xds/snapshot';
import { GROUP_PROXYLESS } from '../../src/translate/translate';
import { PROXYLESS_GROUP } from '../../src/xds/node-group';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { streamFixture } from './protocol-harness';

const node = { id: 'n1', user_agent_name: 'gRPC Node' };
const greeter = service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]);
const other = service('demo', 'other', [{ name: 'grpc', port: 50051 }]);
const slice = (svc: string, ips: string[]) =>
  endpointSlice(
    'demo',
    svc,
    `${svc}-1`,
    [{ name: 'grpc', port: 9000 }],
    ips.map((ip) => ({ ip })),
  );
const GREETER = 'demo/greeter/50051';
const OTHER = 'demo/other/50051';

const harness = () =>
  streamFixture<DeltaStream, OutgoingDeltaResponse>(
    (sink, cache) => new DeltaStream(sink, cache, () => PROXYLESS_GROUP),
  );

const namesOf = (r: OutgoingDeltaResponse) => r.resources.map((x) => x.name);

test('a request with an unknown nonce is not an ACK, but its subscription change still applies', () => {
  const h = harness();
  h.publish(greeter, other, slice('greeter', ['10.0.0.1']), slice('other', ['10.0.0.2']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint, resource_names_subscribe: [GREETER] });
  h.stream.handleRequest({
    type_url: TYPE_URLS.endpoint,
    response_nonce: 'from-an-old-stream',
    resource_names_subscribe: [OTHER],
  });
  assert.deepEqual(namesOf(h.last()), [OTHER]);
  assert.equal(h.stream.status()[0]?.ackedVersion, undefined);
});

test('unsubscribing "*" ends the wildcard: later changes to unnamed resources are not sent', () => {
  const h = harness();
  h.publish(greeter, other, slice('greeter', ['10.0.0.1']), slice('other', ['10.0.0.2']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint, resource_names_subscribe: ['*', GREETER] });
  assert.deepEqual(namesOf(h.last()).sort(), [GREETER, OTHER]);
  h.stream.handleRequest({ type_url: TYPE_URLS.endpoint, resource_names_unsubscribe: ['*'] });
  const before = h.sent.length;
  h.publish(greeter, other, slice('greeter', ['10.0.0.1']), slice('other', ['10.0.0.9']));
  assert.equal(h.sent.length, before, 'other is no longer subscribed');
  h.publish(greeter, other, slice('greeter', ['10.0.0.5']), slice('other', ['10.0.0.9']));
  assert.deepEqual(namesOf(h.last()), [GREETER], 'the explicit name still is');
  assert.deepEqual(h.stream.status()[0]?.subscribed, [GREETER]);
  assert.equal(h.stream.status()[0]?.wildcard, false);
});

test('an explicit (non-wildcard) empty first request for EDS subscribes to nothing and is not answered', () => {
  const h = harness();
  h.publish(greeter, slice('greeter', ['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint });
  assert.equal(h.sent.length, 0);
  assert.equal(h.stream.status()[0]?.wildcard, false);
});

/** A resource map that counts lookups: the work a stream does on a snapshot, not the time it takes. */
class CountingMap<V> extends Map<string, V> {
  lookups = 0;
  override get(key: string): V | undefined {
    this.lookups++;
    return super.get(key);
  }
  override has(key: string): boolean {
    this.lookups++;
    return super.has(key);
  }
}

test('a request subscribing one more name looks at that name, not at every name already subscribed', () => {
  const set = emptyResourceSet();
  const names = Array.from({ length: 1000 }, (_, i) => `demo/s${i}/80`);
  for (const name of [...names, 'demo/one-more/80']) set.endpoint.set(name, { cluster_name: name });
  const built = buildSnapshot(GROUP_PROXYLESS, set, undefined);
  const counting = new CountingMap(built.types.endpoint.resources);
  const h = harness();
  h.cache.setSnapshot({
    ...built,
    types: { ...built.types, endpoint: { ...built.types.endpoint, resources: counting } },
  });
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint, resource_names_subscribe: names });
  assert.equal(h.last().resources.length, 1000);
  h.stream.handleRequest({ type_url: TYPE_URLS.endpoint, response_nonce: h.last().nonce });
  counting.lookups = 0;
  h.stream.handleRequest({ type_url: TYPE_URLS.endpoint, resource_names_subscribe: ['demo/one-more/80'] });
  assert.deepEqual(namesOf(h.last()), ['demo/one-more/80']);
  assert.ok(counting.lookups <= 4, `${counting.lookups} lookups for one added name among 1000`);
});
