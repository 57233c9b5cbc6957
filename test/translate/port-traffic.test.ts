// What a transparent sidecar does with each kind of Service port: HTTP only when the port says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portTraffic } from '../../src/translate/sidecar/port-traffic';
import type { ServicePort } from '../../src/model/k8s';
import { service } from '../helpers/k8s-fixtures';

const of = (port: ServicePort, annotations?: Record<string, string>) =>
  portTraffic(service('demo', 's', [port], {}, annotations), port);

test('appProtocol http, h2c, grpc, kubernetes.io/h2c, kubernetes.io/ws mean HTTP; another appProtocol wins over the name', () => {
  for (const appProtocol of ['http', 'h2c', 'grpc', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'HTTP'])
    assert.equal(of({ port: 9000, appProtocol }), 'http', appProtocol);
  assert.equal(of({ name: 'http', port: 3306, appProtocol: 'mysql' }), 'tcp');
  assert.equal(of({ port: 9000, appProtocol: 'https' }), 'tls');
  assert.equal(of({ port: 9000, appProtocol: 'kubernetes.io/wss' }), 'tls');
});

test('port names: the part before the first "-" (http, http2, h2c, grpc: HTTP; https, tls: TLS)', () => {
  for (const name of ['http', 'http-web', 'http2', 'h2c', 'grpc', 'grpc-api'])
    assert.equal(of({ name, port: 9000 }), 'http', name);
  for (const name of ['https', 'https-admin', 'tls']) assert.equal(of({ name, port: 9000 }), 'tls', name);
  for (const name of ['redis', 'web', 'httpx', 'tcp-http'])
    assert.equal(of({ name, port: 9000 }), 'tcp', name);
});

test("a port that says nothing is TCP, 443 is TLS; kxds.io/upstream-protocol is the owner's word", () => {
  assert.equal(of({ port: 80 }), 'tcp');
  assert.equal(of({ port: 443 }), 'tls');
  assert.equal(of({ name: 'web', port: 443 }), 'tls');
  assert.equal(of({ port: 80 }, { 'kxds.io/upstream-protocol': 'grpc' }), 'http');
  assert.equal(of({ name: 'http', port: 80 }, { 'kxds.io/upstream-protocol': 'https' }), 'tls');
});
