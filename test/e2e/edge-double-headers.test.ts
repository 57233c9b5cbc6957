// Header settings end to end through the Envoy double: kxds.io/request-headers reach the backend,
// kxds.io/response-headers reach the client over HTTP and HTTPS (a literal "%" unchanged), and
// kxds.io/hsts answers Strict-Transport-Security over HTTPS only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as https from 'node:https';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { request, startEdgeDouble, startKxdsOnManifests, type Reply } from '../helpers/edge-double-fixture';
import { TLS_HOST, writeTlsIngressManifests } from '../helpers/tls-ingress-manifests';

function httpsGet(port: number, path: string, ca: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: TLS_HOST,
        ca,
        headers: { host: TLS_HOST },
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('HTTPS request timed out')));
    req.on('error', reject);
  });
}

test(
  'request and response headers, and HSTS over HTTPS only, through the Envoy double',
  { timeout: 60_000 },
  async (t) => {
    const web = await startEchoBackend('web', { host: '127.0.0.31' });
    t.after(() => web.close());
    const manifests = await writeTlsIngressManifests(
      { address: web.host, port: web.port },
      {
        'kxds.io/ssl-redirect': 'false',
        'kxds.io/request-headers': 'X-Team: payments\nX-Rate: 100%',
        'kxds.io/response-headers': 'Cache-Control: no-store',
        'kxds.io/hsts': 'true',
        'kxds.io/hsts-max-age': '600',
      },
    );
    const run = await startKxdsOnManifests(t, {}, { dir: manifests.dir });
    const envoy = await startEdgeDouble(t, run);

    const secure = await httpsGet(envoy.port(8443), '/', manifests.caPem);
    assert.equal(secure.status, 200, secure.body);
    const seen = JSON.parse(secure.body) as EchoedRequest;
    assert.deepEqual([seen.headers['x-team'], seen.headers['x-rate']], ['payments', '100%']);
    assert.equal(secure.headers['cache-control'], 'no-store');
    assert.equal(secure.headers['strict-transport-security'], 'max-age=600; includeSubDomains');

    const plain = await request(envoy.port(8080), TLS_HOST, '/');
    assert.equal(plain.status, 200, plain.body);
    assert.equal((JSON.parse(plain.body) as EchoedRequest).headers['x-team'], 'payments');
    assert.equal(plain.headers['cache-control'], 'no-store');
    assert.equal(plain.headers['strict-transport-security'], undefined, 'no HSTS in clear text');
    assert.equal(envoy.lastNack(), undefined, 'the double accepted every resource kxds sent');
  },
);
