// The ADS protocol tests, each written once and run over both wire protocols (state of the world and delta)
// through one test client (protocol-harness.ts). Where the protocols legitimately differ (SotW full-state
// types list every resource, delta only what changed), the scenario says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NackInfo } from '../../src/server/sotw-stream';
import type { WatchedObject } from '../../src/model/k8s';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { PROTOCOLS, protocolClient } from './protocol-harness';

const svc = (name: string, annotations?: Record<string, string>) =>
  service('demo', name, [{ name: 'grpc', port: 50051 }], {}, annotations);
const slice = (name: string, ips: string[]) =>
  endpointSlice(
    'demo',
    name,
    `${name}-1`,
    [{ name: 'grpc', port: 9000 }],
    ips.map((ip) => ({ ip })),
  );
const cla = (name: string) => `demo/${name}/50051`;
const listener = (name: string) => `${name}.demo:50051`;
const route = (name: string) => `${name}.demo.svc.cluster.local:50051`;
/** Services a, b, c with one endpoint each; `ips` overrides a Service's endpoint. */
const world = (ips: Record<string, string> = {}, extra: WatchedObject[] = []): WatchedObject[] => [
  ...['a', 'b', 'c'].flatMap((n, i): WatchedObject[] => [svc(n), slice(n, [ips[n] ?? `10.0.${i}.1`])]),
  ...extra,
];
const sorted = (names: Iterable<string>) => [...names].sort();

for (const protocol of PROTOCOLS) {
  test(`${protocol}: wildcard CDS gets every cluster; an ACK gets no response`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.wildcard('cluster');
    assert.equal(c.responses.length, 1);
    assert.deepEqual(sorted(c.last().names), [cla('a'), cla('b'), cla('c')]);
    c.ack('cluster');
    assert.equal(c.responses.length, 1);
    assert.equal(c.status()[0]?.ackedVersion, c.last().version);
  });

  test(`${protocol}: a NACKed version is never re-sent; a newer one is`, () => {
    const nacks: NackInfo[] = [];
    const c = protocolClient(protocol, { onNack: (_info, _kind, nack) => nacks.push(nack) });
    c.publish(...world());
    c.subscribe('endpoint', [cla('a')]);
    for (let i = 0; i < 5; i++) c.nack('endpoint', 'bad endpoint');
    assert.equal(c.responses.length, 1, 'the NACKed content is not sent again');
    assert.equal(c.status()[0]?.nack?.message, 'bad endpoint');
    assert.equal(nacks.length, 1, 'one NACK reported for one response');
    c.publish(...world({ a: '10.9.9.9' }));
    assert.equal(c.responses.length, 2);
    assert.match(JSON.stringify(c.last().values.get(cla('a'))), /10\.9\.9\.9/);
  });

  test(`${protocol}: a listener that does not exist is said not to exist at once, and sent when it appears`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.subscribe('listener', [listener('later')]);
    // SotW LDS is full state: a response without the name says it does not exist; delta names it in
    // removed_resources. Either way the client need not wait out its 15 s does-not-exist timer.
    assert.equal(c.responses.length, 1);
    assert.deepEqual(c.last().names, []);
    assert.deepEqual(c.last().removed, protocol === 'delta' ? [listener('later')] : []);
    c.ack('listener');
    c.publish(...world({ a: '10.9.9.9' }));
    assert.equal(c.responses.length, 1, 'said once, not again on every change');
    c.publish(...world({}, [svc('later')]));
    assert.equal(c.responses.length, 2);
    assert.deepEqual(c.last().names, [listener('later')]);
  });

  test(`${protocol}: a missing name is said missing once even when other names are asked for later`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.subscribe('cluster', [cla('nope')]);
    assert.equal(c.responses.length, 1);
    c.ack('cluster');
    c.subscribe('cluster', [cla('a')]);
    assert.equal(c.responses.length, 2);
    assert.deepEqual(c.last().names, [cla('a')]);
    assert.deepEqual(c.last().removed, [], 'the missing name is not repeated');
  });

  test(`${protocol}: newly subscribed names are answered at an unchanged version`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.subscribe('route', [route('a')]);
    const first = c.last();
    c.ack('route');
    c.subscribe('route', [route('b')]);
    assert.equal(c.responses.length, 2);
    assert.equal(c.last().version, first.version);
    assert.ok(c.last().names.includes(route('b')));
    assert.deepEqual(sorted(c.held('route').keys()), [route('a'), route('b')]);
  });

  // A grpc-js channel closed and reopened to the same target while its ADS stream stays up does exactly this.
  for (const kind of ['listener', 'route', 'cluster', 'endpoint'] as const) {
    test(`${protocol}: ${kind}: a name unsubscribed and subscribed again is answered again at an unchanged version`, () => {
      const names = { listener: listener('a'), route: route('a'), cluster: cla('a'), endpoint: cla('a') };
      const c = protocolClient(protocol);
      c.publish(...world());
      c.subscribe(kind, [names[kind]]);
      c.ack(kind);
      const first = c.last(kind);
      c.unsubscribe(kind, [names[kind]]);
      const before = c.responses.length;
      c.subscribe(kind, [names[kind]]);
      assert.equal(c.responses.length, before + 1, 'answered again');
      assert.equal(c.last().version, first.version, 'at the same version');
      assert.deepEqual(c.last().names, [names[kind]]);
    });
  }

  test(`${protocol}: EDS is re-sent after its cluster changes, right after the CDS response`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.wildcard('cluster');
    c.subscribe('endpoint', [cla('a')]);
    const before = c.responses.length;
    // Same endpoints, different cluster (a circuit breaker every gRPC client takes).
    const objects = world();
    objects[0] = svc('a', { 'kxds.io/max-requests': '100' });
    c.publish(...objects);
    assert.deepEqual(
      c.responses.slice(before).map((r) => r.kind),
      ['cluster', 'endpoint'],
    );
    assert.deepEqual(c.last().names, [cla('a')]);
  });

  test(`${protocol}: a change to several types goes out CDS, EDS, LDS, RDS`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.wildcard('listener');
    c.subscribe('route', [route('later')]);
    c.wildcard('cluster');
    c.subscribe('endpoint', [cla('later')]);
    const before = c.responses.length;
    c.publish(...world({}, [svc('later'), slice('later', ['10.0.9.1'])]));
    assert.deepEqual(
      c.responses.slice(before).map((r) => r.kind),
      ['cluster', 'endpoint', 'listener', 'route'],
    );
  });

  test(`${protocol}: while the transport is full nothing is written; on drain one response per type carries everything newest`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.subscribe('endpoint', [cla('a'), cla('b')]);
    c.setFull(true);
    c.publish(...world({ a: '10.1.0.1' })); // written, but the sink reports full
    const afterFull = c.responses.length;
    c.publish(...world({ a: '10.1.0.2' }));
    c.publish(...world({ a: '10.1.0.3', b: '10.2.0.3' }));
    assert.equal(c.responses.length, afterFull, 'nothing more is written while full');
    c.setFull(false);
    c.drain();
    assert.equal(c.responses.length, afterFull + 1, 'one response after drain');
    assert.match(JSON.stringify(c.held('endpoint').get(cla('a'))), /10\.1\.0\.3/, 'newest a');
    assert.match(JSON.stringify(c.held('endpoint').get(cla('b'))), /10\.2\.0\.3/, 'newest b');
  });

  test(`${protocol}: a wildcard LDS subscriber is told when a listener is deleted`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.wildcard('listener');
    c.ack('listener');
    assert.ok(c.held('listener').has(listener('c')));
    c.publish(...world().slice(0, 4));
    assert.equal(c.responses.length, 2);
    assert.ok(!c.held('listener').has(listener('c')));
    assert.ok(c.held('listener').has(listener('a')));
  });

  test(`${protocol}: EDS responses carry only the changed ClusterLoadAssignment; full-state CDS lists ${protocol === 'sotw' ? 'every cluster' : 'only the changed one'}`, () => {
    const c = protocolClient(protocol);
    c.publish(...world());
    c.wildcard('cluster');
    c.ack('cluster');
    c.subscribe('endpoint', [cla('a'), cla('b'), cla('c')]);
    c.ack('endpoint');
    assert.deepEqual(sorted(c.last('endpoint').names), [cla('a'), cla('b'), cla('c')]);
    c.publish(...world({ b: '10.7.7.7' }));
    assert.deepEqual(c.last().names, [cla('b')], 'only the changed CLA');
    c.ack('endpoint');
    assert.deepEqual(sorted(c.held('endpoint').keys()), [cla('a'), cla('b'), cla('c')], 'the others kept');

    const objects = world({ b: '10.7.7.7' });
    objects[2] = svc('b', { 'kxds.io/max-requests': '100' });
    c.publish(...objects);
    const cds = c.last('cluster');
    assert.deepEqual(sorted(cds.names), protocol === 'sotw' ? [cla('a'), cla('b'), cla('c')] : [cla('b')]);
    assert.deepEqual(sorted(c.held('cluster').keys()), [cla('a'), cla('b'), cla('c')]);
  });

  test(`${protocol}: an unsupported type is reported, not answered`, () => {
    const errors: string[] = [];
    const c = protocolClient(protocol, { onRequestError: (_info, message) => errors.push(message) });
    c.publish(...world());
    c.requestType('type.googleapis.com/nope');
    assert.deepEqual(errors, ['unsupported type_url "type.googleapis.com/nope"']);
    assert.equal(c.responses.length, 0);
  });
}

test('sotw: a route that does not exist is not answered (RDS cannot say so) until it appears', () => {
  const c = protocolClient('sotw');
  c.publish(...world());
  c.subscribe('route', [route('later')]);
  assert.equal(c.responses.length, 0);
  c.publish(...world({}, [svc('later')]));
  assert.equal(c.responses.length, 1);
  assert.deepEqual(c.last().names, [route('later')]);
});

test('delta: a route that does not exist is named in removed_resources at once', () => {
  const c = protocolClient('delta');
  c.publish(...world());
  c.subscribe('route', [route('later')]);
  assert.equal(c.responses.length, 1);
  assert.deepEqual(c.last().removed, [route('later')]);
});
