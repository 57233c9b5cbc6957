import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SotwStream } from '../../src/server/sotw-stream';
import type { OutgoingResponse } from '../../src/server/discovery-codec';
import { SnapshotCache } from '../../src/xds/cache';
import { PROXYLESS_GROUP } from '../../src/xds/node-group';
import { buildSnapshot } from '../../src/xds/snapshot';
import { TYPE_URLS } from '../../src/xds/types';
import { modelFrom } from '../../src/model/store';
import { translate, GROUP_PROXYLESS } from '../../src/translate/translate';
import type { WatchedObject } from '../../src/model/k8s';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { namesOf } from '../helpers/xds-decode';

const node = { id: 'n1', user_agent_name: 'gRPC Node' };

function harness() {
  const cache = new SnapshotCache();
  const sent: OutgoingResponse[] = [];
  let full = false;
  let drain: () => void = () => {};
  const stream = new SotwStream(
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
    last: () => sent[sent.length - 1] as OutgoingResponse,
  };
}

const greeter = service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]);
const slice = (ips: string[]) =>
  endpointSlice(
    'demo',
    'greeter',
    'greeter-1',
    [{ name: 'grpc', port: 9000 }],
    ips.map((ip) => ({ ip })),
  );

test('wildcard CDS is answered; an ACK gets no response', () => {
  const h = harness();
  h.publish(greeter, slice(['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.cluster });
  assert.equal(h.sent.length, 1);
  assert.deepEqual(namesOf(h.last().resources), ['demo/greeter/50051']);
  h.stream.handleRequest({
    type_url: TYPE_URLS.cluster,
    version_info: h.last().versionInfo,
    response_nonce: h.last().nonce,
  });
  assert.equal(h.sent.length, 1);
  assert.equal(h.stream.status()[0]?.ackedVersion, h.last().versionInfo);
});

test('a NACKed version is never re-sent; a newer one is', () => {
  const h = harness();
  h.publish(greeter, slice(['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint, resource_names: ['demo/greeter/50051'] });
  const first = h.last();
  for (let i = 0; i < 5; i++) {
    h.stream.handleRequest({
      type_url: TYPE_URLS.endpoint,
      resource_names: ['demo/greeter/50051'],
      version_info: '',
      response_nonce: h.last().nonce,
      error_detail: { code: 3, message: 'bad endpoint' },
    });
  }
  assert.equal(h.sent.length, 1, 'the NACKed content is not sent again');
  assert.equal(h.stream.status()[0]?.nack?.message, 'bad endpoint');
  h.publish(greeter, slice(['10.0.0.2']));
  assert.equal(h.sent.length, 2);
  assert.notEqual(h.last().versionInfo, first.versionInfo);
});

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

test('names that do not exist yet are answered when they appear', () => {
  const h = harness();
  h.publish(greeter, slice(['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.listener, resource_names: ['other.demo:80'] });
  assert.equal(h.sent.length, 0);
  h.publish(greeter, slice(['10.0.0.1']), service('demo', 'other', [{ port: 80 }]));
  assert.equal(h.sent.length, 1);
  assert.deepEqual(namesOf(h.last().resources), ['other.demo:80']);
});

test('newly subscribed names are answered at an unchanged version', () => {
  const h = harness();
  const other = service('demo', 'other', [{ port: 80 }]);
  h.publish(greeter, other);
  h.stream.handleRequest({
    node,
    type_url: TYPE_URLS.route,
    resource_names: ['greeter.demo.svc.cluster.local:50051'],
  });
  const first = h.last();
  h.stream.handleRequest({
    type_url: TYPE_URLS.route,
    resource_names: ['greeter.demo.svc.cluster.local:50051', 'other.demo.svc.cluster.local:80'],
    version_info: first.versionInfo,
    response_nonce: first.nonce,
  });
  assert.equal(h.sent.length, 2);
  assert.equal(h.last().versionInfo, first.versionInfo);
  assert.deepEqual(namesOf(h.last().resources).sort(), [
    'greeter.demo.svc.cluster.local:50051',
    'other.demo.svc.cluster.local:80',
  ]);
});

test('EDS is re-sent after its cluster changes, after the CDS response', () => {
  const h = harness();
  h.publish(greeter, slice(['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.cluster });
  h.stream.handleRequest({ type_url: TYPE_URLS.endpoint, resource_names: ['demo/greeter/50051'] });
  assert.equal(h.sent.length, 2);
  // Same endpoints, different cluster (a circuit breaker every gRPC client takes).
  h.publish(
    service('demo', 'greeter', [{ name: 'grpc', port: 50051 }], {}, { 'kxds.io/max-requests': '100' }),
    slice(['10.0.0.1']),
  );
  assert.deepEqual(
    h.sent.slice(2).map((r) => r.typeUrl),
    [TYPE_URLS.cluster, TYPE_URLS.endpoint],
  );
});

test('a change to several types goes out CDS, EDS, LDS, RDS', () => {
  const h = harness();
  h.publish(greeter, slice(['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.listener });
  h.stream.handleRequest({ type_url: TYPE_URLS.route, resource_names: ['other.demo.svc.cluster.local:80'] });
  h.stream.handleRequest({ type_url: TYPE_URLS.cluster });
  h.stream.handleRequest({ type_url: TYPE_URLS.endpoint, resource_names: ['demo/other/80'] });
  const before = h.sent.length;
  h.publish(greeter, slice(['10.0.0.1']), service('demo', 'other', [{ port: 80 }]));
  assert.deepEqual(
    h.sent.slice(before).map((r) => r.typeUrl),
    [TYPE_URLS.cluster, TYPE_URLS.endpoint, TYPE_URLS.listener, TYPE_URLS.route],
  );
});

test('while the transport is full one response per type waits and the newest wins', () => {
  const h = harness();
  h.publish(greeter, slice(['10.0.0.1']));
  h.stream.handleRequest({ node, type_url: TYPE_URLS.endpoint, resource_names: ['demo/greeter/50051'] });
  h.setFull(true);
  h.publish(greeter, slice(['10.0.0.2'])); // written, but the sink reports full
  const afterFull = h.sent.length;
  h.publish(greeter, slice(['10.0.0.3']));
  h.publish(greeter, slice(['10.0.0.4']));
  assert.equal(h.sent.length, afterFull, 'nothing more is written while full');
  h.setFull(false);
  h.drain();
  assert.equal(h.sent.length, afterFull + 1, 'only the newest pending response is written');
});

test('a wildcard LDS subscriber is told when a listener is deleted', () => {
  const h = harness();
  const other = service('demo', 'other', [{ port: 80 }]);
  h.publish(greeter, other);
  h.stream.handleRequest({ node, type_url: TYPE_URLS.listener });
  const first = h.last();
  h.stream.handleRequest({
    type_url: TYPE_URLS.listener,
    version_info: first.versionInfo,
    response_nonce: first.nonce,
  });
  h.publish(greeter);
  assert.equal(h.sent.length, 2);
  assert.ok(!namesOf(h.last().resources).some((n) => n.startsWith('other.')));
});
