// A Gateway with HTTP and HTTPS listeners sharing ports, end to end through the Envoy double over real ADS:
// the front-end's IR built by the Envoy back-end and served by an in-process xDS server. The route rules are
// the tests' fake (each route answers its own name), so what is checked is the listener side: a request
// reaches only the most specific listener's routes, a host without routes is a 404, and on HTTPS the SNI
// picks the chain while a Host another listener owns answers 421.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { groupResources } from '../../src/envoy/group';
import { modelFrom } from '../../src/model/store';
import type { WatchedObject } from '../../src/model/k8s';
import { TranslationMemos } from '../../src/translate/translation-memos';
import { startEnvoyDouble } from '../envoy-double';
import { startStaticXds } from '../envoy-double/static-xds';
import { httpsGet, request } from '../helpers/edge-double-fixture';
import { OPTIONS, translateWithFakeRules } from '../frontends/gateway/fake-rules';
import { gateway, httpRoute, kxdsClass } from '../frontends/gateway/objects';

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function gatewayObjects(): Promise<{ objects: WatchedObject[]; ca: string }> {
  const ca = await createCertificateAuthority('gateway test CA', 1);
  const leaf = await issueCertificate(ca, {
    commonName: 'example.com',
    hosts: ['foo.example.com', '*.example.com'],
    usage: 'server',
    validDays: 1,
  });
  const tls = { mode: 'Terminate', certificateRefs: [{ name: 'web-tls' }] };
  const listeners = [
    { name: 'any', port: 80, protocol: 'HTTP' },
    { name: 'wild', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
    { name: 'foo', port: 80, protocol: 'HTTP', hostname: 'foo.example.com' },
    { name: 'secure-foo', port: 443, protocol: 'HTTPS', hostname: 'foo.example.com', tls },
    { name: 'secure-wild', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls },
  ];
  const route = (name: string, sectionName: string, hostnames?: string[]) =>
    httpRoute(name, { parentRefs: [{ name: 'web', sectionName }], ...(hostnames ? { hostnames } : {}) });
  const objects: WatchedObject[] = [
    kxdsClass(),
    gateway(listeners),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { namespace: 'infra', name: 'web-tls' },
      data: { 'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem) },
    },
    // foo.example.com is asked for on the catch-all listener, but the foo listener owns it.
    route('to-any', 'any', ['foo.example.com', 'bar.org']),
    route('to-wild', 'wild'),
    route('to-foo', 'foo'),
    route('to-secure-foo', 'secure-foo'),
    route('to-secure-wild', 'secure-wild'),
  ];
  return { objects, ca: ca.certPem };
}

test('listener isolation and TLS chains through the Envoy double', { timeout: 60_000 }, async (t) => {
  const { objects, ca } = await gatewayObjects();
  const { gateways } = translateWithFakeRules(modelFrom(objects), OPTIONS, []);
  assert.equal(gateways.length, 1);
  const resources = groupResources(
    (gateways[0] as (typeof gateways)[number]).ir,
    new TranslationMemos().groupMemos(),
  );
  const xds = await startStaticXds(t);
  xds.publish((set) => {
    for (const kind of Object.keys(set) as (keyof typeof set)[]) {
      for (const [name, value] of resources[kind]) (set[kind] as Map<string, unknown>).set(name, value);
    }
  });
  const envoy = await startEnvoyDouble({ xdsAddress: xds.address });
  t.after(() => envoy.close());
  await envoy.ready();

  const http = envoy.port(10080);
  const plain = async (host: string) => {
    const reply = await request(http, host, '/');
    return `${reply.status} ${reply.body}`;
  };
  assert.equal(await plain('foo.example.com'), '200 to-foo');
  assert.equal(await plain('x.y.example.com'), '200 to-wild');
  assert.equal(await plain('bar.org'), '200 to-any');
  // The catch-all listener's own hosts have no route: 404, not another listener's routes.
  assert.equal((await request(http, 'other.net', '/')).status, 404);

  const secure = envoy.port(10443);
  const tlsGet = async (sni: string, host: string) => {
    const reply = await httpsGet(secure, sni, host, '/', ca);
    return reply.status === 200 ? `200 ${reply.body}` : String(reply.status);
  };
  assert.equal(await tlsGet('foo.example.com', 'foo.example.com'), '200 to-secure-foo');
  assert.equal(await tlsGet('a.example.com', 'a.example.com'), '200 to-secure-wild');
  // A connection made for one listener asking for a host another listener owns: misdirected.
  assert.equal(await tlsGet('foo.example.com', 'a.example.com'), '421');
  assert.equal(await tlsGet('a.example.com', 'foo.example.com'), '421');
});
