// What the bootstrap command takes in: the xDS address, downward-API identity, TLS flags; and the proxyless JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDownwardApiLabels, podIdentityFromEnv } from '../../src/bootstrap/pod-identity';
import { buildProxylessBootstrap } from '../../src/bootstrap/proxyless-bootstrap';
import { xdsClientTls } from '../../src/bootstrap/xds-client-tls';
import { parseXdsServerAddress } from '../../src/bootstrap/xds-server-address';

test('parseXdsServerAddress accepts names, IPv4 and bracketed IPv6, and names the bad value', () => {
  assert.deepEqual(parseXdsServerAddress('kxds.kxds.svc:18000'), {
    host: 'kxds.kxds.svc',
    port: 18000,
    isIp: false,
  });
  assert.deepEqual(parseXdsServerAddress('127.0.0.1:1'), { host: '127.0.0.1', port: 1, isIp: true });
  assert.deepEqual(parseXdsServerAddress('[::1]:18000'), { host: '::1', port: 18000, isIp: true });
  for (const bad of ['kxds', 'kxds:0', 'kxds:70000', '::1:18000', '[kxds]:1', ':18000']) {
    assert.throws(() => parseXdsServerAddress(bad), new RegExp(`"${bad.replace(/[[\]]/g, '\\$&')}"`));
  }
});

test('downward API labels parse, including keys with / and escaped values; garbage names the line', () => {
  const text = 'app="web"\napp.kubernetes.io/name="web-app"\npod-template-hash="7d9f"\n';
  assert.deepEqual(parseDownwardApiLabels(text), {
    app: 'web',
    'app.kubernetes.io/name': 'web-app',
    'pod-template-hash': '7d9f',
  });
  assert.deepEqual(parseDownwardApiLabels(''), {});
  assert.throws(() => parseDownwardApiLabels('app="web"\nbroken'), /line 2/);
});

test('pod identity comes from the KXDS_* variables; empty ones stay unset', () => {
  const pod = podIdentityFromEnv(
    { KXDS_POD_NAME: 'p', KXDS_POD_NAMESPACE: 'ns', KXDS_POD_IP: '', KXDS_SERVICE_ACCOUNT: 'sa' },
    { a: 'b' },
  );
  assert.deepEqual(pod, {
    name: 'p',
    namespace: 'ns',
    ip: undefined,
    serviceAccount: 'sa',
    labels: { a: 'b' },
  });
});

test('TLS flags: CA alone is server-authenticated TLS; a cert needs its key; a cert needs a CA', () => {
  assert.equal(xdsClientTls({}), undefined);
  assert.deepEqual(xdsClientTls({ tlsCa: '/ca' }), {
    caFile: '/ca',
    certFile: undefined,
    keyFile: undefined,
  });
  assert.throws(() => xdsClientTls({ tlsCert: '/c', tlsCa: '/ca' }), /--tls-key/);
  assert.throws(() => xdsClientTls({ tlsCert: '/c', tlsKey: '/k' }), /--tls-ca/);
});

test('the proxyless bootstrap has what grpc-js-xds requires: xds_servers, node.locality, role metadata', () => {
  assert.deepEqual(
    buildProxylessBootstrap({ xdsServer: '127.0.0.1:18000', pod: { name: 'c', namespace: 'demo' } }),
    {
      xds_servers: [
        { server_uri: '127.0.0.1:18000', channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] },
      ],
      node: {
        id: 'c.demo',
        cluster: 'kxds-proxyless',
        locality: {},
        metadata: { 'kxds.io/role': 'proxyless', 'kxds.io/pod-name': 'c', 'kxds.io/namespace': 'demo' },
      },
    },
  );
  const tls = buildProxylessBootstrap({
    xdsServer: '[::1]:18000',
    tls: { caFile: '/ca', certFile: '/c', keyFile: '/k' },
  });
  assert.equal(tls.xds_servers[0]?.server_uri, '[::1]:18000');
  assert.deepEqual(tls.xds_servers[0]?.channel_creds, [
    { type: 'tls', config: { ca_certificate_file: '/ca', certificate_file: '/c', private_key_file: '/k' } },
  ]);
});
