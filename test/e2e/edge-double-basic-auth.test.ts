// Basic authentication end to end through the Envoy double: an Ingress with auth-type basic and an
// htpasswd Secret ({SHA} hashes) answers 401 without credentials or with wrong ones and forwards with the
// right ones; an Ingress whose Secret holds an MD5 hash fails closed (403); the Ingress without auth is
// open. (Redaction of the users in CSDS and debug output: test/xds/key-material.test.ts, redact.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startEchoBackend } from '../envoy-double/echo-backend';
import { request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { backendService, INGRESS_CLASS, ingress } from '../helpers/edge-objects';

const sha = (password: string): string => `{SHA}${createHash('sha1').update(password).digest('base64')}`;
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function opaqueSecret(name: string, auth: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'shop' },
    type: 'Opaque',
    data: { auth: Buffer.from(auth).toString('base64') },
  };
}

test(
  'basic auth answers 401 until the right credentials come, through the Envoy double',
  { timeout: 60_000 },
  async (t) => {
    const backend = await startEchoBackend('web', { host: '127.0.0.41' });
    t.after(() => backend.close());
    const run = await startKxdsOnManifests(t, {
      'objects.yaml': [
        INGRESS_CLASS,
        ...backendService('shop', 'web', backend.port, [backend.host]),
        opaqueSecret('users', `alice:${sha('wonderland')}\n`),
        opaqueSecret('md5-users', 'alice:$apr1$abcdefgh$0123456789abcdefghijkl\n'),
        ingress('shop', 'private', [{ host: 'private.test', paths: [{ path: '/', service: 'web' }] }], {
          'nginx.ingress.kubernetes.io/auth-type': 'basic',
          'nginx.ingress.kubernetes.io/auth-secret': 'users',
        }),
        ingress('shop', 'md5', [{ host: 'md5.test', paths: [{ path: '/', service: 'web' }] }], {
          'kxds.io/auth-type': 'basic',
          'kxds.io/auth-secret': 'md5-users',
        }),
        ingress('shop', 'public', [{ host: 'public.test', paths: [{ path: '/', service: 'web' }] }]),
      ],
    });
    const envoy = await startEdgeDouble(t, run);
    const port = envoy.port(8080);

    assert.equal((await request(port, 'private.test', '/')).status, 401, 'no credentials');
    assert.equal(
      (await request(port, 'private.test', '/', { authorization: basic('alice', 'guess') })).status,
      401,
      'wrong password',
    );
    assert.equal(
      (await request(port, 'private.test', '/', { authorization: basic('mallory', 'wonderland') })).status,
      401,
      'unknown user',
    );
    const ok = await request(port, 'private.test', '/', { authorization: basic('alice', 'wonderland') });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(
      (await request(port, 'md5.test', '/', { authorization: basic('alice', 'wonderland') })).status,
      403,
      'an MD5 hash fails closed',
    );
    assert.equal((await request(port, 'public.test', '/')).status, 200, 'no auth asked, none enforced');
    assert.equal(envoy.lastNack(), undefined, 'the double accepted every resource kxds sent');
  },
);
