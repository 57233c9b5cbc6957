// The access decision table (src/server/authorize.ts) and what feeds it: peer addresses, SPIFFE ids, and the
// serve flags. The end-to-end tests over mutual TLS are in test/deploy/xds-identity.test.ts; plaintext
// peers off loopback can't be made on a loopback-only test machine, so they are decided here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizeNode, authorizeOperator, clip, type AccessPolicy } from '../../src/server/authorize';
import { X509Certificate } from 'node:crypto';
import {
  certificateUris,
  isLoopbackHost,
  peerHost,
  peerIdentity,
  type PeerIdentity,
} from '../../src/server/identity';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { identityFromFlag, parseSpiffeId } from '../../src/certs/spiffe';
import { accessPolicy } from '../../src/commands/access-options';

const EDGE = 'spiffe://cluster.local/ns/kxds/sa/kxds-edge';
const OPERATOR = 'spiffe://cluster.local/ns/kxds/sa/kxds-operator';
const policy: AccessPolicy = {
  trustDomain: 'cluster.local',
  edgeIdentities: [EDGE],
  operatorIdentities: [OPERATOR],
  insecureRoles: false,
};
const cert = (...uris: string[]): PeerIdentity => ({
  kind: 'certificate',
  peer: '10.0.0.5:4000',
  subject: 'CN=x',
  uris,
});
const plaintext = (peer: string, loopback: boolean): PeerIdentity => ({ kind: 'plaintext', peer, loopback });
const edge = { role: 'edge' as const };
const sidecar = (namespace: string) => ({
  role: 'sidecar' as const,
  namespace,
  group: `sidecar/${namespace}`,
});
const proxyless = { role: 'proxyless' as const };
const reason = (d: ReturnType<typeof authorizeNode>) => (d.allowed ? 'allowed' : d.reason);

test('certificates: edge only for the edge set, sidecars only in their namespace, proxyless for all', () => {
  const demo = cert('spiffe://cluster.local/ns/demo/sa/app');
  assert.equal(reason(authorizeNode(policy, cert(EDGE), edge)), 'allowed');
  assert.match(reason(authorizeNode(policy, demo, edge)), /ns\/demo\/sa\/app may not claim role edge/);
  assert.equal(reason(authorizeNode(policy, demo, sidecar('demo'))), 'allowed');
  assert.match(
    reason(authorizeNode(policy, demo, sidecar('shop'))),
    /\(namespace demo\) may not claim role sidecar in namespace "shop"/,
  );
  assert.equal(reason(authorizeNode(policy, demo, proxyless)), 'allowed');
  assert.match(reason(authorizeNode(policy, cert(), proxyless)), /has no URI SAN/);
  assert.match(
    reason(authorizeNode(policy, cert('spiffe://other.domain/ns/kxds/sa/kxds-edge'), edge)),
    /URI SANs spiffe:\/\/other.domain.* expected spiffe:\/\/cluster.local\//,
    'another trust domain is no identity here',
  );
  assert.equal(
    reason(authorizeNode(policy, cert('https://example.com', EDGE), edge)),
    'allowed',
    'the SPIFFE URI among other SANs counts',
  );
});

test('plaintext: edge and sidecar only for loopback peers unless insecure roles are allowed', () => {
  const remote = plaintext('10.1.2.3:5555', false);
  assert.match(
    reason(authorizeNode(policy, remote, edge)),
    /plaintext peer 10.1.2.3:5555 may not claim role edge/,
  );
  assert.match(reason(authorizeNode(policy, remote, sidecar('demo'))), /may not claim role sidecar/);
  assert.equal(reason(authorizeNode(policy, remote, proxyless)), 'allowed');
  assert.equal(reason(authorizeNode(policy, plaintext('127.0.0.1:5555', true), edge)), 'allowed');
  assert.equal(reason(authorizeNode({ ...policy, insecureRoles: true }, remote, edge)), 'allowed');
});

test('CSDS: the operator identity, or a loopback plaintext peer; nobody else', () => {
  assert.equal(authorizeOperator(policy, cert(OPERATOR)).allowed, true);
  const asEdge = authorizeOperator(policy, cert(EDGE));
  assert.ok(!asEdge.allowed && asEdge.reason.includes(`${EDGE} may not read CSDS`));
  assert.equal(authorizeOperator(policy, plaintext('[::1]:1', true)).allowed, true);
  assert.equal(authorizeOperator(policy, plaintext('10.1.2.3:1', false)).allowed, false);
  assert.equal(
    authorizeOperator({ ...policy, insecureRoles: true }, plaintext('10.1.2.3:1', false)).allowed,
    true,
  );
});

test('client-supplied text in a refusal is clipped', () => {
  const d = authorizeNode(policy, cert('spiffe://cluster.local/ns/demo/sa/app'), sidecar('n'.repeat(5000)));
  assert.ok(!d.allowed && d.reason.length < 400, 'short reason');
  assert.equal(clip('abc', 2), 'ab... (3 characters)');
});

test('peer addresses: loopback v4, v6 and v4-mapped; anything else is not', () => {
  assert.equal(peerHost('127.0.0.1:5000'), '127.0.0.1');
  assert.equal(peerHost('::1:5000'), '::1');
  assert.equal(peerHost('[::1]:5000'), '::1');
  assert.equal(peerHost('::ffff:127.0.0.2:80'), '::ffff:127.0.0.2');
  assert.equal(peerHost('::1'), '::1');
  for (const host of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])
    assert.ok(isLoopbackHost(host), host);
  for (const host of ['10.0.0.1', '::', '0.0.0.0', '::ffff:10.0.0.1', 'localhost', 'unix:/x'])
    assert.ok(!isLoopbackHost(host), host);
  const call = (peer: string) => ({ getPeer: () => peer, getAuthContext: () => ({}) });
  assert.deepEqual(peerIdentity(call('10.0.0.1:3')), {
    kind: 'plaintext',
    peer: '10.0.0.1:3',
    loopback: false,
  });
  assert.deepEqual(peerIdentity(call('127.0.0.1:3')), {
    kind: 'plaintext',
    peer: '127.0.0.1:3',
    loopback: true,
  });
});

test('SPIFFE ids and identity flags', () => {
  assert.deepEqual(parseSpiffeId('spiffe://cluster.local/ns/demo/sa/app'), {
    uri: 'spiffe://cluster.local/ns/demo/sa/app',
    trustDomain: 'cluster.local',
    namespace: 'demo',
    serviceAccount: 'app',
  });
  for (const bad of [
    'spiffe://cluster.local/ns/demo',
    'spiffe://c/ns/demo/sa/app/x',
    'spiffe://C/ns/a/sa/b',
    'https://c/ns/a/sa/b',
  ])
    assert.equal(parseSpiffeId(bad), undefined, bad);
  assert.equal(identityFromFlag('--f', 'kxds/edge-2', 'td'), 'spiffe://td/ns/kxds/sa/edge-2');
  assert.throws(
    () => identityFromFlag('--f', 'just-a-name', 'td'),
    /--f "just-a-name": expected NAMESPACE\/SERVICE_ACCOUNT/,
  );
  assert.throws(
    () => identityFromFlag('--f', 'spiffe://other/ns/a/sa/b', 'td'),
    /trust domain other is not --trust-domain td/,
  );
});

test("serve flags: defaults name kxds-edge and kxds-operator in kxds's namespace; given ones replace them", () => {
  const none = { trustDomain: 'cluster.local', xdsEdgeIdentity: [], xdsOperatorIdentity: [] };
  assert.deepEqual(accessPolicy(none, 'mesh'), {
    trustDomain: 'cluster.local',
    edgeIdentities: ['spiffe://cluster.local/ns/mesh/sa/kxds-edge'],
    operatorIdentities: ['spiffe://cluster.local/ns/mesh/sa/kxds-operator'],
    insecureRoles: false,
  });
  const given = accessPolicy({
    ...none,
    xdsEdgeIdentity: ['edge/a', 'spiffe://cluster.local/ns/edge/sa/b'],
    xdsInsecureRoles: true,
  });
  assert.deepEqual(given.edgeIdentities, [
    'spiffe://cluster.local/ns/edge/sa/a',
    'spiffe://cluster.local/ns/edge/sa/b',
  ]);
  assert.equal(given.insecureRoles, true);
  assert.throws(() => accessPolicy({ ...none, trustDomain: 'Bad Domain' }), /--trust-domain "Bad Domain"/);
});

test('a certificate the parser cannot read has no identity rather than throwing', () => {
  const call = {
    getPeer: () => '10.0.0.1:3',
    getAuthContext: () => ({ sslPeerCertificate: { raw: Buffer.from('not DER'), subject: { CN: 'odd' } } }),
  };
  const identity = peerIdentity(call as never);
  assert.deepEqual(identity, { kind: 'certificate', peer: '10.0.0.1:3', subject: 'CN=odd', uris: [] });
  assert.match(reason(authorizeNode(policy, identity, edge)), /"CN=odd" has no URI SAN/);
});

test("URI SANs are read from Node's subjectAltName text; a URI smuggled inside a DNS name is not one", async () => {
  const ca = await createCertificateAuthority('test CA', 1);
  const smuggled = 'x, URI:spiffe://cluster.local/ns/kxds/sa/kxds-edge, DNS:y';
  const pair = await issueCertificate(ca, {
    commonName: 'odd',
    hosts: [smuggled, '10.0.0.1', 'plain.example'],
    uris: ['spiffe://cluster.local/ns/demo/sa/app', 'https://example.com/a,b'],
    usage: 'client',
    validDays: 1,
  });
  const certificate = new X509Certificate(pair.certPem);
  assert.ok(certificate.subjectAltName?.includes('DNS:"x'), 'Node quotes the odd DNS name');
  assert.deepEqual(certificateUris(certificate.raw), [
    'spiffe://cluster.local/ns/demo/sa/app',
    'https://example.com/a,b',
  ]);
});

test('a Gateway Envoy is an edge: any edge identity may read any Gateway, others none', () => {
  const gateway = { role: 'edge' as const, gateway: { namespace: 'infra', name: 'web' } };
  assert.equal(reason(authorizeNode(policy, cert(EDGE), gateway)), 'allowed');
  assert.match(
    reason(authorizeNode(policy, cert('spiffe://cluster.local/ns/infra/sa/web'), gateway)),
    /may not claim role edge for Gateway infra\/web: not one of the edge identities/,
  );
  assert.equal(reason(authorizeNode(policy, plaintext('127.0.0.1:5', true), gateway)), 'allowed');
  assert.match(
    reason(authorizeNode(policy, plaintext('10.0.0.9:5', false), gateway)),
    /may not claim role edge for Gateway infra\/web/,
  );
});

test('a kxds.io/gateway that names no Gateway is refused for every identity, never served the Ingress edge', () => {
  const bad = { role: 'edge' as const, badGatewayRef: 'web' };
  for (const identity of [cert(EDGE), plaintext('127.0.0.1:5', true)])
    assert.match(
      reason(authorizeNode(policy, identity, bad)),
      /kxds.io\/gateway "web" names no Gateway: expected NAMESPACE\/NAME/,
    );
});
