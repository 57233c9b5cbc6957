// Forward authentication end to end through the Envoy double: an Ingress with auth-url naming a Service of
// the cluster asks a real HTTP auth service on loopback before each request. Its 200 lets the request
// through with the auth-response-headers copied upstream (and nothing else of its answer); its 401 and 302
// reach the client as they are; its 5xx fails closed (500). The check carries the client's headers and
// ingress-nginx's X-Original-* headers, no body, and the auth path followed by the client's path. An
// auth-url that can't be served (a missing Service, https://, nginx variables) answers 403; an Ingress
// without auth never calls the service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { backendService, INGRESS_CLASS, ingress } from '../helpers/edge-objects';

interface AuthCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * An auth service: "Bearer good" passes as alice, "Bearer anonymous" passes without naming a user, "Bearer
 * go-away" is redirected, "Bearer broken" is a 503, anything else a 401.
 */
async function startAuthService(host: string) {
  const calls: AuthCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({
        method: String(req.method),
        path: String(req.url),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const token = req.headers.authorization;
      if (token === 'Bearer good')
        res.writeHead(200, { 'x-auth-user': 'alice', 'x-auth-internal': 'not-for-upstream' });
      else if (token === 'Bearer anonymous') res.writeHead(200);
      else if (token === 'Bearer go-away') res.writeHead(302, { location: 'https://login.test/start' });
      else if (token === 'Bearer broken') res.writeHead(503);
      else res.writeHead(401, { 'www-authenticate': 'Bearer realm="shop"', 'content-type': 'text/plain' });
      res.end(token === undefined ? 'who are you?' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    calls,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test(
  'forward auth asks the auth service before every request, through the Envoy double',
  { timeout: 60_000 },
  async (t) => {
    const backend = await startEchoBackend('web', { host: '127.0.0.41' });
    t.after(() => backend.close());
    const auth = await startAuthService('127.0.0.42');
    t.after(() => auth.close());
    const authed = (path: string) => [{ host: 'private.test', paths: [{ path, service: 'web' }] }];
    const run = await startKxdsOnManifests(t, {
      'objects.yaml': [
        INGRESS_CLASS,
        ...backendService('shop', 'web', backend.port, [backend.host]),
        ...backendService('sso', 'auth', auth.port, ['127.0.0.42']),
        ingress('shop', 'private', authed('/'), {
          'nginx.ingress.kubernetes.io/auth-url': 'http://auth.sso.svc.cluster.local/check',
          'nginx.ingress.kubernetes.io/auth-response-headers': 'X-Auth-User',
        }),
        ingress('shop', 'missing', [{ host: 'missing.test', paths: [{ path: '/', service: 'web' }] }], {
          'kxds.io/auth-url': 'http://nobody.sso/check',
        }),
        ingress('shop', 'variables', [{ host: 'variables.test', paths: [{ path: '/', service: 'web' }] }], {
          'nginx.ingress.kubernetes.io/auth-url': 'https://$host/oauth2/auth',
        }),
        ingress('shop', 'public', [{ host: 'public.test', paths: [{ path: '/', service: 'web' }] }]),
      ],
    });
    const envoy = await startEdgeDouble(t, run);
    const port = envoy.port(8080);

    const refused = await request(port, 'private.test', '/orders?page=2', { cookie: 'session=abc' });
    assert.equal(refused.status, 401, refused.body);
    assert.equal(refused.headers['www-authenticate'], 'Bearer realm="shop"', "the auth service's own header");
    assert.equal(refused.body, 'who are you?');
    const check = auth.calls.at(-1);
    assert.ok(check);
    assert.equal(check.path, '/check/orders?page=2', "Envoy's rule: the auth path, then the client's");
    assert.equal(check.method, 'GET');
    assert.equal(check.body, '');
    assert.equal(check.headers['content-length'], '0');
    assert.equal(check.headers.cookie, 'session=abc', "the client's headers go to the auth service");
    assert.equal(check.headers['x-original-url'], 'http://private.test/orders?page=2');
    assert.equal(check.headers['x-original-method'], 'GET');
    assert.equal(check.headers['x-auth-request-redirect'], '/orders?page=2');
    assert.equal(check.headers['x-real-ip'], '127.0.0.1');
    assert.match(String(check.headers['x-forwarded-for']), /127\.0\.0\.1$/);
    const reached = backend.received.length;
    assert.equal(reached, 0, 'a refused request never reaches the backend');

    const ok = await request(port, 'private.test', '/orders', { authorization: 'Bearer good' }, 'POST');
    assert.equal(ok.status, 200, ok.body);
    const seen = JSON.parse(ok.body) as EchoedRequest;
    assert.equal(seen.headers['x-auth-user'], 'alice', 'auth-response-headers are copied upstream');
    assert.equal(seen.headers['x-auth-internal'], undefined, 'unlisted headers of the answer are not');
    assert.equal(auth.calls.at(-1)?.method, 'POST', "the check carries the client's method");

    const forged = await request(port, 'private.test', '/', {
      authorization: 'Bearer anonymous',
      'x-auth-user': 'root',
    });
    assert.equal(forged.status, 200, forged.body);
    assert.equal(
      (JSON.parse(forged.body) as EchoedRequest).headers['x-auth-user'],
      undefined,
      'a listed header the auth service did not set is removed, never the value the client wrote',
    );
    assert.equal(auth.calls.at(-1)?.headers['x-auth-user'], undefined, 'removed before the check too');

    const redirected = await request(port, 'private.test', '/', { authorization: 'Bearer go-away' });
    assert.equal(redirected.status, 302);
    assert.equal(redirected.headers.location, 'https://login.test/start');
    assert.equal(
      (await request(port, 'private.test', '/', { authorization: 'Bearer broken' })).status,
      500,
      'a failing auth service fails closed',
    );

    const calls = auth.calls.length;
    assert.equal(
      (await request(port, 'missing.test', '/')).status,
      403,
      'an auth Service that does not exist',
    );
    assert.equal(
      (await request(port, 'variables.test', '/')).status,
      403,
      'nginx variables are not interpreted',
    );
    assert.equal((await request(port, 'public.test', '/')).status, 200, 'no auth asked, none enforced');
    assert.equal(auth.calls.length, calls, 'only routes with forward auth call the auth service');
    assert.equal(envoy.lastNack(), undefined, 'the double accepted every resource kxds sent');
  },
);
