// ReferenceGrant lookup: same namespace is free, cross-namespace needs a grant in the target namespace
// matching the referrer's group/kind/namespace and the target's group/kind (and name when the grant names one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrom } from '../../../src/model/store';
import type { WatchedObject } from '../../../src/model/k8s';
import { isReferenceAllowed } from '../../../src/frontends/gateway/reference-grants';

const GW = 'gateway.networking.k8s.io';

function grant(namespace: string, spec: Record<string, unknown>): WatchedObject {
  return {
    apiVersion: `${GW}/v1beta1`,
    kind: 'ReferenceGrant',
    metadata: { namespace, name: `grant-${namespace}` },
    spec,
  };
}

const fromGateway = { group: GW, kind: 'Gateway', namespace: 'infra' };
const secret = (name: string, namespace = 'certs') => ({ group: '', kind: 'Secret', namespace, name });

test('a reference inside one namespace needs no grant', () => {
  assert.equal(isReferenceAllowed(modelFrom([]), fromGateway, secret('tls', 'infra')), true);
});

test('a cross-namespace reference without a grant is refused', () => {
  assert.equal(isReferenceAllowed(modelFrom([]), fromGateway, secret('tls')), false);
});

test('a grant in the target namespace allows the referrer kind and namespace it names', () => {
  const model = modelFrom([
    grant('certs', {
      from: [{ group: GW, kind: 'Gateway', namespace: 'infra' }],
      to: [{ group: '', kind: 'Secret' }],
    }),
  ]);
  assert.equal(isReferenceAllowed(model, fromGateway, secret('tls')), true);
  assert.equal(isReferenceAllowed(model, fromGateway, secret('other')), true, 'no name: every Secret');
  assert.equal(isReferenceAllowed(model, { ...fromGateway, namespace: 'elsewhere' }, secret('tls')), false);
  assert.equal(isReferenceAllowed(model, { ...fromGateway, kind: 'HTTPRoute' }, secret('tls')), false);
  assert.equal(isReferenceAllowed(model, fromGateway, { ...secret('tls'), kind: 'Service' }), false);
});

test('a grant naming an object allows only that one', () => {
  const model = modelFrom([
    grant('certs', {
      from: [{ group: GW, kind: 'Gateway', namespace: 'infra' }],
      to: [{ group: '', kind: 'Secret', name: 'tls' }],
    }),
  ]);
  assert.equal(isReferenceAllowed(model, fromGateway, secret('tls')), true);
  assert.equal(isReferenceAllowed(model, fromGateway, secret('other')), false);
});

test('a grant in another namespace than the target does not count', () => {
  const model = modelFrom([
    grant('infra', {
      from: [{ group: GW, kind: 'Gateway', namespace: 'infra' }],
      to: [{ group: '', kind: 'Secret' }],
    }),
  ]);
  assert.equal(isReferenceAllowed(model, fromGateway, secret('tls')), false);
});

test('groups must match: the core group is the empty string', () => {
  const model = modelFrom([
    grant('apps', {
      from: [{ group: GW, kind: 'HTTPRoute', namespace: 'web' }],
      to: [{ group: '', kind: 'Service' }],
    }),
  ]);
  const route = { group: GW, kind: 'HTTPRoute', namespace: 'web' };
  assert.equal(isReferenceAllowed(model, route, { kind: 'Service', namespace: 'apps', name: 'a' }), true);
  assert.equal(
    isReferenceAllowed(model, route, { group: 'example.com', kind: 'Service', namespace: 'apps', name: 'a' }),
    false,
  );
  assert.equal(
    isReferenceAllowed(
      model,
      { ...route, group: 'other.io' },
      { kind: 'Service', namespace: 'apps', name: 'a' },
    ),
    false,
  );
});
