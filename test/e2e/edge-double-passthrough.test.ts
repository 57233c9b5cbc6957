// Ingress ssl-passthrough end to end through the Envoy double: TLS for the passthrough host reaches a TLS
// echo backend undecrypted (the client verifies the backend's own certificate, which the edge never holds,
// and the backend sees the client's SNI and no header the edge would add), while another host's HTTPS chain
// on the same listener keeps terminating at the edge; the passthrough host serves nothing over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { httpsGet, request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { backendService, ingress } from '../helpers/edge-objects';
import { TLS_HOST, writeTlsIngressManifests } from '../helpers/tls-ingress-manifests';

const VAULT_HOST = 'vault.example.com';

test(
  'ssl-passthrough: TLS by SNI to the backend undecrypted, beside an HTTPS chain',
  { timeout: 60_000 },
  async (t) => {
    const vaultCa = await createCertificateAuthority('vault CA', 1);
    const vaultLeaf = await issueCertificate(vaultCa, {
      commonName: VAULT_HOST,
      hosts: [VAULT_HOST],
      usage: 'server',
      validDays: 1,
    });
    const vault = await startEchoBackend('vault', {
      host: '127.0.0.31',
      tls: { cert: vaultLeaf.certPem, key: vaultLeaf.keyPem },
    });
    const web = await startEchoBackend('web', { host: '127.0.0.32' });
    t.after(() => Promise.all([vault.close(), web.close()]));
    const manifests = await writeTlsIngressManifests({ address: web.host, port: web.port });
    const run = await startKxdsOnManifests(
      t,
      {
        'vault.yaml': [
          // appProtocol-style TLS hints must not make the edge speak TLS to it: the bytes are already TLS.
          ...backendService('sec', 'vault', vault.port, [vault.host], {
            'kxds.io/upstream-protocol': 'https',
          }),
          ingress('sec', 'vault', [{ host: VAULT_HOST, paths: [{ path: '/', service: 'vault' }] }], {
            'nginx.ingress.kubernetes.io/ssl-passthrough': 'true',
          }),
        ],
      },
      { dir: manifests.dir },
    );
    const envoy = await startEdgeDouble(t, run);
    const [httpPort, httpsPort] = [envoy.port(8080), envoy.port(8443)];

    const passed = await httpsGet(httpsPort, VAULT_HOST, VAULT_HOST, '/secret?x=1', vaultCa.certPem);
    assert.equal(passed.status, 200, passed.body);
    const echoed = JSON.parse(passed.body) as EchoedRequest;
    assert.deepEqual([echoed.backend, echoed.serverName, echoed.path], ['vault', VAULT_HOST, '/secret?x=1']);
    assert.equal(echoed.headers['x-forwarded-proto'], undefined, 'the edge never saw the HTTP request');

    const terminated = await httpsGet(httpsPort, TLS_HOST, TLS_HOST, '/shop', manifests.caPem);
    assert.equal(terminated.status, 200, terminated.body);
    const shop = JSON.parse(terminated.body) as EchoedRequest;
    assert.deepEqual([shop.backend, shop.headers['x-forwarded-proto']], ['web', 'https']);

    assert.equal((await request(httpPort, VAULT_HOST, '/')).status, 404, 'passthrough serves no HTTP');
    assert.equal(envoy.nacks().length, 0);
  },
);
