// Client certificates end to end through the Envoy double, with real certificates: a host whose Ingress
// asks for them (auth-tls-secret, verify-client on) completes the handshake only with a certificate its CA
// issued, and its backend gets that certificate in X-Forwarded-Client-Cert (a client's own is never
// passed); without one, or with one from another CA, the handshake fails. A host sharing the same server
// certificate but not asking for client certificates serves anyone, and its SNI does not reach the
// protected host's routes. "optional" serves clients without a certificate but still refuses a bad one.
// Over HTTP the protected host only redirects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { httpsGet, request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { backendService, INGRESS_CLASS, ingress } from '../helpers/edge-objects';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function secret(name: string, type: string, data: Record<string, string>): object {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, type, data: encoded };
}

test(
  'client certificates are asked for, verified and passed upstream, through the Envoy double',
  { timeout: 60_000 },
  async (t) => {
    const backend = await startEchoBackend('web', { host: '127.0.0.43' });
    t.after(() => backend.close());
    const serverCa = await createCertificateAuthority('edge CA', 1);
    const hosts = ['secure.test', 'open.test', 'optional.test'];
    const server = await issueCertificate(serverCa, {
      commonName: 'edge',
      hosts,
      usage: 'server',
      validDays: 1,
    });
    const clientCa = await createCertificateAuthority('client CA', 1);
    const otherCa = await createCertificateAuthority('other CA', 1);
    const alice = await issueCertificate(clientCa, { commonName: 'alice', usage: 'client', validDays: 1 });
    const mallory = await issueCertificate(otherCa, { commonName: 'mallory', usage: 'client', validDays: 1 });
    const route = (host: string) => [{ host, paths: [{ path: '/', service: 'web' }] }];
    const tls = (host: string) => [{ hosts: [host], secretName: 'edge-tls' }];
    const run = await startKxdsOnManifests(t, {
      'objects.yaml': [
        INGRESS_CLASS,
        ...backendService('shop', 'web', backend.port, [backend.host]),
        secret('edge-tls', 'kubernetes.io/tls', { 'tls.crt': server.certPem, 'tls.key': server.keyPem }),
        secret('client-ca', 'Opaque', { 'ca.crt': clientCa.certPem }),
        ingress(
          'shop',
          'secure',
          route('secure.test'),
          {
            'nginx.ingress.kubernetes.io/auth-tls-secret': 'shop/client-ca',
            'nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream': 'true',
          },
          tls('secure.test'),
        ),
        ingress('shop', 'open', route('open.test'), {}, tls('open.test')),
        ingress(
          'shop',
          'optional',
          route('optional.test'),
          {
            'kxds.io/auth-tls-secret': 'client-ca',
            'kxds.io/auth-tls-verify-client': 'optional',
          },
          tls('optional.test'),
        ),
      ],
    });
    const envoy = await startEdgeDouble(t, run);
    const [httpPort, httpsPort] = [envoy.port(8080), envoy.port(8443)];
    const get = (sni: string, host: string, client?: { certPem: string; keyPem: string }) =>
      httpsGet(httpsPort, sni, host, '/', serverCa.certPem, {
        ...(client ? { client } : {}),
        headers: { 'x-forwarded-client-cert': 'By=forged' },
      });

    const ok = await get('secure.test', 'secure.test', alice);
    assert.equal(ok.status, 200, ok.body);
    const xfcc = String((JSON.parse(ok.body) as EchoedRequest).headers['x-forwarded-client-cert']);
    const der = new X509Certificate(alice.certPem).raw;
    assert.match(xfcc, new RegExp(`^Hash=${createHash('sha256').update(der).digest('hex')};Cert="`));
    const sent = decodeURIComponent(/Cert="([^"]+)"/.exec(xfcc)?.[1] ?? '');
    assert.ok(new X509Certificate(sent).raw.equals(der), "the backend gets the client's own certificate");

    await assert.rejects(get('secure.test', 'secure.test'), 'no client certificate: no handshake');
    await assert.rejects(
      get('secure.test', 'secure.test', mallory),
      'a certificate of another CA: no handshake',
    );

    const open = await get('open.test', 'open.test');
    assert.equal(open.status, 200, 'the host sharing the server certificate serves anyone');
    assert.equal(
      (JSON.parse(open.body) as EchoedRequest).headers['x-forwarded-client-cert'],
      undefined,
      "a client's own XFCC is removed",
    );
    assert.equal(
      (await get('open.test', 'secure.test')).status,
      404,
      "another host's SNI never reaches the protected routes",
    );

    assert.equal(
      (await get('optional.test', 'optional.test')).status,
      200,
      'optional: no certificate is fine',
    );
    assert.equal((await get('optional.test', 'optional.test', alice)).status, 200);
    await assert.rejects(
      get('optional.test', 'optional.test', mallory),
      'optional: a bad certificate is still refused',
    );

    const plain = await request(httpPort, 'secure.test', '/');
    assert.equal(plain.status, 301, 'over HTTP the protected host only redirects');
    assert.equal(envoy.lastNack(), undefined, 'the double accepted every resource kxds sent');
  },
);
