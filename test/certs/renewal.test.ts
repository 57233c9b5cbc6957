// When the in-cluster issuer issues a certificate again, and what its trust bundle holds: each reason on its
// own, and a fine certificate left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { currentAuthority, trustBundle } from '../../src/certs/ca-rotation';
import { pemCertificates, renewalReason } from '../../src/certs/renewal';

const DAY = 24 * 3600 * 1000;
const hosts = ['kxds', 'kxds.kxds.svc', '127.0.0.1'];

test('a fine certificate is kept; each fault is named', async () => {
  const ca = await createCertificateAuthority('test CA', 30);
  const other = await createCertificateAuthority('other CA', 30);
  const leaf = await issueCertificate(ca, { commonName: 'kxds', hosts, usage: 'server', validDays: 90 });
  const now = Date.now();
  const names = { hosts };
  assert.equal(renewalReason(leaf, { now, issuerPem: ca.certPem, names }), undefined);
  assert.equal(renewalReason({ ...leaf, certPem: 'junk' }, { now }), 'the certificate does not parse');
  assert.equal(renewalReason({ ...leaf, keyPem: 'junk' }, { now }), 'the key does not parse');
  const another = await issueCertificate(ca, { commonName: 'x', hosts, usage: 'server', validDays: 90 });
  assert.equal(
    renewalReason({ ...leaf, keyPem: another.keyPem }, { now }),
    'the key does not match the certificate',
  );
  assert.equal(renewalReason(leaf, { now, issuerPem: other.certPem }), 'not signed by the current CA');
  assert.match(renewalReason(leaf, { now: now + 61 * DAY }) ?? '', /less than a third of its lifetime left/);
  assert.equal(renewalReason(leaf, { now: now + 59 * DAY }), undefined);
  assert.equal(
    renewalReason(leaf, { now, names: { hosts: ['kxds'] } }),
    'it names other hosts or identities than wanted',
  );
  const client = await issueCertificate(ca, {
    commonName: 'e',
    uris: ['spiffe://cluster.local/ns/kxds/sa/kxds-edge'],
    usage: 'client',
    validDays: 90,
  });
  assert.equal(
    renewalReason(client, { now, names: { uris: ['spiffe://cluster.local/ns/kxds/sa/kxds-edge'] } }),
    undefined,
  );
  assert.match(
    renewalReason(client, { now, names: { uris: ['spiffe://x/ns/a/sa/b'] } }) ?? '',
    /other hosts/,
  );
});

test('the trust bundle lists the current CA first and drops expired and repeated ones', async () => {
  const current = await createCertificateAuthority('current', 30);
  const old = await createCertificateAuthority('old', 10);
  const now = Date.now();
  const bundle = trustBundle(current.certPem, [old.certPem, current.certPem, old.certPem], now);
  assert.deepEqual(
    pemCertificates(bundle).map((p) => p.trim()),
    [current.certPem.trim(), old.certPem.trim()],
  );
  assert.deepEqual(pemCertificates(trustBundle(current.certPem, [old.certPem], now + 11 * DAY)).length, 1);
});

test('the CA is kept while young, replaced when old, and the old one stays trusted', async () => {
  const first = await currentAuthority(undefined, Date.now());
  assert.deepEqual([first.rotated, first.writeReason], [true, 'no CA yet']);
  const stored = { certPem: first.ca.certPem, keyPem: first.ca.keyPem, bundlePem: first.bundlePem };
  const kept = await currentAuthority(stored, Date.now() + 365 * DAY);
  assert.deepEqual([kept.rotated, kept.writeReason, kept.ca.certPem], [false, undefined, first.ca.certPem]);
  const rotated = await currentAuthority(stored, Date.now() + 2500 * DAY);
  assert.equal(rotated.rotated, true);
  assert.notEqual(rotated.ca.certPem, first.ca.certPem);
  assert.deepEqual(
    pemCertificates(rotated.bundlePem).map((p) => p.trim()),
    [rotated.ca.certPem.trim(), first.ca.certPem.trim()],
  );
});
