// Every bootstrap kxds prints passes the protoc-gen-validate rules Envoy enforces, uses no deprecated field,
// and survives protobuf encoding unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBootstrap, type EnvoyBootstrapOptions } from '../../src/bootstrap/envoy-bootstrap';
import { checkEnvoyResource } from '../../src/xds/check-resource';

const variants: [string, EnvoyBootstrapOptions][] = [
  ['edge', { role: 'edge', xdsServer: 'kxds.kxds.svc:18000' }],
  [
    'edge with mTLS',
    {
      role: 'edge',
      xdsServer: 'kxds.kxds.svc:18000',
      tls: {
        caFile: '/etc/kxds/tls/ca.crt',
        certFile: '/etc/kxds/tls/tls.crt',
        keyFile: '/etc/kxds/tls/tls.key',
      },
    },
  ],
  ['edge of a Gateway', { role: 'edge', xdsServer: 'kxds.kxds.svc:18000', gateway: 'infra/web' }],
  ['sidecar template', { role: 'sidecar', xdsServer: 'kxds.kxds.svc:18000' }],
  [
    'sidecar of a pod',
    {
      role: 'sidecar',
      xdsServer: '10.96.0.10:18000',
      pod: {
        name: 'web-1',
        namespace: 'shop',
        ip: '10.1.2.3',
        serviceAccount: 'web',
        labels: { app: 'web' },
      },
      capture: 'iptables',
      egressNamespaces: 'shop',
      maxHeapBytes: 214748364,
      tls: { caFile: '/etc/kxds-tls/ca.crt' },
    },
  ],
];

for (const [name, options] of variants) {
  test(`the ${name} bootstrap passes Envoy's validation rules and round-trips`, () => {
    assert.deepEqual(checkEnvoyResource('envoy.config.bootstrap.v3.Bootstrap', buildBootstrap(options)), []);
  });
}
