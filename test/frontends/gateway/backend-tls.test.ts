// BackendTLSPolicy: which policy applies to a port, what a CA bundle must be, and the policy statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyFor, policyTls } from '../../../src/frontends/gateway/routes/backend-tls';
import { backendTlsPolicyStatuses } from '../../../src/frontends/gateway/routes';
import { modelFrom } from '../../../src/model/store';
import type { Service, WatchedObject } from '../../../src/model/k8s';
import { service } from './route-helpers';

const CA = `-----BEGIN CERTIFICATE-----
MIIBjDCCATOgAwIBAgIUKM3h17qu+sOMWlPcsyMtuJi510MwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRZ29sZGVuLWJhY2tlbmQtY2EwHhcNMjYxMjAyMTIwNTEyWhcN
MzYxMTI5MTIwNTEyWjAcMRowGAYDVQQDDBFnb2xkZW4tYmFja2VuZC1jYTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABPpiM4LOFPlYA1j9IYaWPALhFl59bU5r0R3Z
6K2VF1bHz34RUz7ulC1JzGSnCUh7kXHVunxjsElP5i1YPids3pqjUzBRMB0GA1Ud
DgQWBBQFClDnC1bROVSBE8Uj0W0xu0qtkjAfBgNVHSMEGDAWgBQFClDnC1bROVSB
E8Uj0W0xu0qtkjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIADw
ud5drcbx+ua0+rT0dCqjRv5/TwcyenMIjgO7gzXbAiBOEQNbT8t/CILYnILxJX8s
n00bnIdbarwrjBQeltKwmQ==
-----END CERTIFICATE-----`;

function policy(
  name: string,
  opts: { section?: string; created?: string; validation?: Record<string, unknown> } = {},
): WatchedObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: {
      name,
      namespace: 'apps',
      creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z',
      generation: 1,
    },
    spec: {
      targetRefs: [
        { group: '', kind: 'Service', name: 'web', ...(opts.section ? { sectionName: opts.section } : {}) },
      ],
      validation: opts.validation ?? {
        caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }],
        hostname: 'web.example.com',
      },
    },
  } as WatchedObject;
}

const configMap = (value: string): WatchedObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'ca', namespace: 'apps' },
    data: { 'ca.crt': value },
  }) as WatchedObject;

test('a policy naming the port beats one naming the Service; the older of equals wins, the younger loses', () => {
  const web = service('web') as Service;
  const port = web.spec.ports?.[0];
  assert.ok(port);
  const model = modelFrom([
    web,
    policy('whole'),
    policy('by-port', { section: 'http', created: '2026-05-01T00:00:00Z' }),
    policy('by-port-older', { section: 'http' }),
  ]);
  const chosen = policyFor(model, web, port);
  assert.equal(chosen?.winner.metadata.name, 'by-port-older');
  assert.deepEqual(
    chosen?.losers.map((p) => p.metadata.name),
    ['by-port'],
  );
});

test('CA bundles: parsed certificates only; a private key or garbage is refused with the reason', () => {
  const ok = policyTls(modelFrom([configMap(CA)]), policy('p') as never);
  assert.ok(ok.ok && ok.tls.trust.kind === 'pem');
  assert.deepEqual(ok.ok && ok.tls.subjectAltNames, [{ kind: 'dns', value: 'web.example.com' }]);
  const key = policyTls(
    modelFrom([configMap(`${CA}\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----`)]),
    policy('p') as never,
  );
  assert.ok(!key.ok);
  assert.match(key.problems[0]?.message ?? '', /private key/);
  assert.ok(!/AAAA/.test(JSON.stringify(key)), 'no key material in the result');
  const garbage = policyTls(
    modelFrom([configMap('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----')]),
    policy('p') as never,
  );
  assert.ok(!garbage.ok && garbage.acceptedReason === 'NoValidCACertificate');
});

test('statuses: one ancestor per Gateway using the Service, Conflicted for the losing policy, none when unused', () => {
  const model = modelFrom([
    service('web'),
    configMap(CA),
    policy('old'),
    policy('young', { created: '2026-06-01T00:00:00Z' }),
  ]);
  const port = { namespace: 'apps', service: 'web', port: 80, portName: 'http' };
  const statuses = backendTlsPolicyStatuses(model, [
    { gateway: { namespace: 'infra', name: 'a' }, backendPorts: [port] },
    { gateway: { namespace: 'infra', name: 'b' }, backendPorts: [port] },
    { gateway: { namespace: 'infra', name: 'c' }, backendPorts: [] },
  ]);
  assert.deepEqual(
    statuses.map((s) => s.name),
    ['old', 'young'],
  );
  const ancestors = statuses[1]?.status.ancestors as {
    ancestorRef: { name: string };
    conditions: { type: string; reason: string }[];
  }[];
  assert.deepEqual(
    ancestors.map((a) => a.ancestorRef.name),
    ['a', 'b'],
  );
  assert.equal(ancestors[0]?.conditions.find((c) => c.type === 'Accepted')?.reason, 'Conflicted');
  assert.deepEqual(backendTlsPolicyStatuses(model, []), []);
});
