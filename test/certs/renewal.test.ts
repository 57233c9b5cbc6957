// When the in-cluster issuer issues a certificate again, what its trust bundle holds, and how its CA is
// rotated in two phases: each reason on its own, and a fine certificate left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { currentAuthority, PROMOTE_AFTER_DAYS, trustBundle } from '../../src/certs/ca-rotation';
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

test('the CA: kept while young, a next one trusted first, signing only 120 days later', async () => {
  const start = Date.now();
  const first = await currentAuthority(undefined, start);
  assert.deepEqual([first.rotated, first.writeReason], [true, 'no CA yet']);
  const stored = { certPem: first.ca.certPem, keyPem: first.ca.keyPem, bundlePem: first.bundlePem };
  const kept = await currentAuthority(stored, start + 365 * DAY);
  assert.deepEqual([kept.rotated, kept.writeReason, kept.ca.certPem], [false, undefined, first.ca.certPem]);

  const staging = await currentAuthority(stored, start + 2500 * DAY);
  assert.equal(staging.rotated, false, 'the old CA still signs');
  assert.equal(staging.ca.certPem, first.ca.certPem);
  assert.ok(staging.next, 'a next CA');
  assert.match(staging.writeReason ?? '', /next CA is trusted from now on; it signs in 120 days/);
  const trimmed = (bundle: string) => pemCertificates(bundle).map((p) => p.trim());
  assert.deepEqual(trimmed(staging.bundlePem), [first.ca.certPem.trim(), staging.next.certPem.trim()]);
  const staged = { ...stored, bundlePem: staging.bundlePem, next: staging.next };
  // The next CA was made now (its notBefore is about now), so "120 days later" counts from now.
  const waiting = await currentAuthority(staged, Date.now() + (PROMOTE_AFTER_DAYS - 1) * DAY);
  assert.deepEqual(
    [waiting.rotated, waiting.writeReason, waiting.ca.certPem],
    [false, undefined, first.ca.certPem],
  );
  const promoted = await currentAuthority(staged, Date.now() + (PROMOTE_AFTER_DAYS + 1) * DAY);
  assert.equal(promoted.rotated, true);
  assert.equal(promoted.ca.certPem, staging.next.certPem, 'the next CA signs');
  assert.equal(promoted.next, undefined);
  assert.deepEqual(trimmed(promoted.bundlePem), [staging.next.certPem.trim(), first.ca.certPem.trim()]);

  const broken = await currentAuthority({ ...stored, keyPem: staging.next.keyPem }, start);
  assert.deepEqual([broken.rotated, broken.writeReason], [true, 'the key does not match the certificate']);
});
