// The cluster builder's upstream TLS verification (BackendTLSPolicy): the CA (inline PEM or the image's
// bundle for "system"), the SANs to match, SNI, and nothing of it for a proxyless client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, SYSTEM_CA_BUNDLE } from '../../src/envoy/cluster';
import type { IrCluster } from '../../src/ir/clusters';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';

const base: IrCluster = {
  name: 'apps/web/443',
  ref: { namespace: 'apps', service: 'web', port: 443, portName: 'https' },
  protocol: 'tls-http1',
  lbPolicy: 'round-robin',
  connectTimeoutMs: 5000,
  tlsSni: 'web.example.com',
};

function tlsContext(ir: IrCluster): Record<string, unknown> {
  const cluster = buildCluster(ir);
  assert.deepEqual(checkEnvoyResource('envoy.config.cluster.v3.Cluster', cluster), []);
  const decoded = decodeMessage('envoy.config.cluster.v3.Cluster', encodeMessage('envoy.config.cluster.v3.Cluster', cluster)) as {
    transport_socket: { typed_config: Record<string, unknown> };
  };
  return decoded.transport_socket.typed_config;
}

test('system trust: the CA bundle file; SANs as typed matchers; SNI kept', () => {
  const ctx = tlsContext({
    ...base,
    upstreamTls: { trust: { kind: 'system' }, subjectAltNames: [{ kind: 'dns', value: 'web.example.com' }, { kind: 'uri', value: 'spiffe://x/y' }] },
  }) as { sni: string; common_tls_context: { validation_context: Record<string, unknown> } };
  assert.equal(ctx.sni, 'web.example.com');
  assert.deepEqual(ctx.common_tls_context.validation_context, {
    trusted_ca: { filename: SYSTEM_CA_BUNDLE },
    match_typed_subject_alt_names: [
      { san_type: 'DNS', matcher: { exact: 'web.example.com' } },
      { san_type: 'URI', matcher: { exact: 'spiffe://x/y' } },
    ],
  });
});

test('a PEM trust goes inline; without upstreamTls there is no validation context', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const ctx = tlsContext({ ...base, upstreamTls: { trust: { kind: 'pem', pem }, subjectAltNames: [] } }) as {
    common_tls_context: { validation_context: { trusted_ca: unknown } };
  };
  assert.deepEqual(ctx.common_tls_context.validation_context.trusted_ca, { inline_string: pem });
  const plain = tlsContext(base) as { common_tls_context: Record<string, unknown> };
  assert.equal(plain.common_tls_context.validation_context, undefined);
});
