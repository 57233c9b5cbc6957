// DeltaStream protocol logic with a fake sink: backpressure and subscription edge cases that are hard to
// provoke over a real transport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeltaStream } from '../../src/server/delta-stream';
import type { OutgoingDeltaResponse } from '../../src/server/delta-codec';
import { SnapshotCache } from '../../src/xds/cache';
import { PROXYLESS_GROUP } from '../../src/xds/node-group';
import { buildSnapshot } from '../../src/xds/snapshot';
import { TYPE_URLS } from '../../src/xds/types';
import { modelFrom } from '../../src/model/store';
import { translate, GROUP_PROXYLESS } from '../../src/translate/translate';
import type { WatchedObject } from '../../src/model/k8s';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

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

function harness() {
  const cache = new SnapshotCache();
  const sent: OutgoingDeltaResponse[] = [];
  let full = false;
  let drain: () => void = () => {};
  const stream = new DeltaStream(
    { write: (r) => (sent.push(r), !full), onDrain: (l) => (drain = l) },
    cache,
    () => PROXYLESS_GROUP,
  );
  const publish = (...objects: WatchedObject[]) => {
    const set = translate(modelFrom(objects)).groups.get(GROUP_PROXYLESS);
    assert.ok(set);
    cache.setSnapshot(buildSnapshot(GROUP_PROXYLESS, set, cache.getSnapshot(GROUP_PROXYLESS)));
  };
  return {
    stream,
    sent,
    publish,
    setFull: (f: boolean) => (full = f),
    drain: () => drain(),
    last: () => sent[sent.length - 1] as OutgoingDeltaResponse,
  };
}

const namesOf = (r: OutgoingDeltaResponse) => r.resources.map((x) => x.name);

test('while the transport is full nothing more is written; on drain one response per type carries the newest state', () => {
  const h = harness();
  h.publish(greeter, slice('greeter', ['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint, resource_names_subscribe: [GREETER] });
  h.setFull(true);
  h.publish(greeter, slice('greeter', ['10.0.0.2'])); // written, but the sink reports full
  const afterFull = h.sent.length;
  h.publish(greeter, slice('greeter', ['10.0.0.3']));
  h.publish(greeter, slice('greeter', ['10.0.0.4']));
  assert.equal(h.sent.length, afterFull, 'nothing is written while full');
  h.setFull(false);
  h.drain();
  assert.equal(h.sent.length, afterFull + 1, 'one response after drain');
  const value = h.last().resources[0]?.value as { endpoints: { lb_endpoints: unknown[] }[] };
  assert.match(JSON.stringify(value), /10\.0\.0\.4/, 'carrying the newest endpoints');
});

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

test('an unsupported type is reported, not answered', () => {
  const errors: string[] = [];
  const cache = new SnapshotCache();
  const stream = new DeltaStream({ write: () => true, onDrain: () => {} }, cache, () => PROXYLESS_GROUP, {
    onRequestError: (_info, message) => errors.push(message),
  });
  stream.handleRequest({ node, type_url: 'type.googleapis.com/nope' });
  assert.deepEqual(errors, ['unsupported type_url "type.googleapis.com/nope"']);
});
