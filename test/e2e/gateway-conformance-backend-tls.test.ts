// BackendTLSPolicy conformance-style test through the Envoy double (after the upstream
// conformance/tests/backendtlspolicy.go): a TLS echo backend whose certificate a CA in a ConfigMap signed,
// reached with the policy's hostname as SNI and verified; a SAN the certificate lacks fails the connection
// (5xx); a policy whose CA ConfigMap is missing answers 500 and says NoValidCACertificate. ("System" trust is
// a file Envoy reads, which the double does not: it is covered by the goldens.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { modelFrom } from '../../src/model/store';
import type { WatchedObject } from '../../src/model/k8s';
import { backendTlsPolicyStatuses } from '../../src/frontends/gateway/routes';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { request } from '../helpers/edge-double-fixture';
import { backend, gatewayObject, routeObject, serveRoutesToDouble } from '../helpers/gateway-double';

const LISTENER_PORT = 8080;
const NS = 'gateway-conformance-infra';

function policy(name: string, service: string, validation: Record<string, unknown>): WatchedObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name, namespace: NS, creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 },
    spec: { targetRefs: [{ group: '', kind: 'Service', name: service }], validation },
  } as WatchedObject;
}

test(
  'BackendTLSPolicy through the Envoy double: SNI, CA and SAN verification',
  { timeout: 60_000 },
  async (t) => {
    const ca = await createCertificateAuthority('backend CA', 1);
    const leaf = await issueCertificate(ca, {
      commonName: 'abc.example.com',
      hosts: ['abc.example.com'],
      usage: 'server',
      validDays: 1,
    });
    const secure = await startEchoBackend('secure', {
      host: '127.0.0.51',
      tls: { cert: leaf.certPem, key: leaf.keyPem },
    });
    t.after(() => secure.close());
    const caRef = { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }] };
    const objects: WatchedObject[] = [
      gatewayObject(LISTENER_PORT),
      ...backend(NS, 'tls-backend', secure, { number: 443, name: 'https' }),
      ...backend(NS, 'wrong-san-backend', secure, { number: 443, name: 'https' }),
      ...backend(NS, 'no-ca-backend', secure, { number: 443, name: 'https' }),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'backend-ca', namespace: NS },
        data: { 'ca.crt': ca.certPem },
      } as WatchedObject,
      policy('tls', 'tls-backend', { ...caRef, hostname: 'abc.example.com' }),
      policy('wrong-san', 'wrong-san-backend', {
        ...caRef,
        hostname: 'abc.example.com',
        subjectAltNames: [{ type: 'Hostname', hostname: 'other.example.com' }],
      }),
      policy('no-ca', 'no-ca-backend', {
        caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'missing' }],
        hostname: 'abc.example.com',
      }),
      routeObject('HTTPRoute', NS, 'tls', [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/ok' } }],
          backendRefs: [{ name: 'tls-backend', port: 443 }],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/wrong-san' } }],
          backendRefs: [{ name: 'wrong-san-backend', port: 443 }],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/no-ca' } }],
          backendRefs: [{ name: 'no-ca-backend', port: 443 }],
        },
      ]),
    ];
    const served = await serveRoutesToDouble(t, objects, LISTENER_PORT);
    const ok = await request(served.port, 'example.com', '/ok');
    assert.equal(ok.status, 200, ok.body);
    assert.equal(
      (JSON.parse(ok.body) as EchoedRequest).serverName,
      'abc.example.com',
      'the policy hostname is the SNI',
    );
    const wrongSan = await request(served.port, 'example.com', '/wrong-san');
    assert.ok(
      wrongSan.status >= 500,
      `a certificate without the SAN must fail the connection, got ${wrongSan.status}`,
    );
    assert.equal((await request(served.port, 'example.com', '/no-ca')).status, 500);
    assert.equal(
      secure.received.filter((r) => r.path !== '/ok').length,
      0,
      'nothing unverified reached the backend',
    );
    assert.equal(served.envoy.lastNack(), undefined);

    const statuses = backendTlsPolicyStatuses(modelFrom(objects), [
      { gateway: served.ir.gateway, backendPorts: served.ir.backendPorts },
    ]);
    const accepted = Object.fromEntries(
      statuses.map((s) => {
        const [ancestor] = s.status.ancestors as { conditions: { type: string; reason: string }[] }[];
        return [s.name, ancestor?.conditions.find((c) => c.type === 'Accepted')?.reason];
      }),
    );
    assert.deepEqual(accepted, { 'no-ca': 'NoValidCACertificate', tls: 'Accepted', 'wrong-san': 'Accepted' });
  },
);
