// Upstream TLS in the Envoy double as Envoy does it: the cluster's UpstreamTlsContext sends its SNI and
// ALPN, verifies the chain against validation_context.trusted_ca and the SANs against
// match_typed_subject_alt_names; a wrong CA or SAN fails the connection (503), and HTTP/2 clusters speak h2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { pack } from '../../src/xds/encode';
import type { Cluster } from '../../src/xds/types';
import { startEchoBackend, type EchoedRequest } from './echo-backend';
import { assignment, edgeSet, edsCluster, LISTENER_PORT } from './edge-resources';
import { startEnvoyDouble } from './index';
import { startStaticXds } from './static-xds';
import { request } from '../helpers/edge-double-fixture';

function tlsCluster(name: string, caPem: string, san: string, http2 = false): Cluster {
  return {
    ...edsCluster(name, http2),
    transport_socket: {
      name: 'envoy.transport_sockets.tls',
      typed_config: pack('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
        sni: 'backend.test',
        common_tls_context: {
          alpn_protocols: [http2 ? 'h2' : 'http/1.1'],
          validation_context: {
            trusted_ca: { inline_string: caPem },
            match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: san } }],
          },
        },
      }),
    },
  };
}

test(
  'the Envoy double verifies upstream TLS against the CA and SAN matchers',
  { timeout: 30_000 },
  async (t) => {
    const ca = await createCertificateAuthority('backend CA', 1);
    const otherCa = await createCertificateAuthority('another CA', 1);
    const leaf = await issueCertificate(ca, {
      commonName: 'backend.test',
      hosts: ['backend.test'],
      usage: 'server',
      validDays: 1,
    });
    const backend = await startEchoBackend('secure', { tls: { cert: leaf.certPem, key: leaf.keyPem } });
    t.after(() => backend.close());
    const xds = await startStaticXds(t);
    const hosts = [backend];
    const routes = ['ok', 'h2', 'wrong-san', 'wrong-ca'].map((name) => ({
      name,
      match: { prefix: `/${name}` },
      route: { cluster: name },
    }));
    xds.publish((set) =>
      edgeSet(set, { virtual_hosts: [{ name: 'all', domains: ['*'], routes }] }, [
        [tlsCluster('ok', ca.certPem, 'backend.test'), assignment('ok', hosts)],
        [tlsCluster('h2', ca.certPem, 'backend.test', true), assignment('h2', hosts)],
        [tlsCluster('wrong-san', ca.certPem, 'elsewhere.test'), assignment('wrong-san', hosts)],
        [tlsCluster('wrong-ca', otherCa.certPem, 'backend.test'), assignment('wrong-ca', hosts)],
      ]),
    );
    const envoy = await startEnvoyDouble({ xdsAddress: xds.address });
    t.after(() => envoy.close());
    await envoy.ready();
    const port = envoy.port(LISTENER_PORT);

    const ok = await request(port, 'app.test', '/ok');
    assert.equal(ok.status, 200, ok.body);
    const seen = JSON.parse(ok.body) as EchoedRequest;
    assert.deepEqual([seen.serverName, seen.protocol], ['backend.test', 'HTTP/1.1']);
    const h2 = await request(port, 'app.test', '/h2');
    assert.equal((JSON.parse(h2.body) as EchoedRequest).protocol, 'HTTP/2.0');
    for (const path of ['/wrong-san', '/wrong-ca'])
      assert.equal((await request(port, 'app.test', path)).status, 503, path);
    assert.equal(backend.received.length, 2, 'no request reached the backend over an unverified connection');
  },
);
