// The real `kxds serve --kubeconfig` against the API server double reads exactly the Secrets its served
// objects name: an Ingress's TLS Secret and its Opaque basic-auth Secret are read by name and served (the edge
// snapshot has the certificate, the route has the users; no warning), while an unreferenced Secret and a
// Secret named only by an Ingress of another class are never asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { waitForHttp } from '../helpers/cli-process';
import {
  Cleanup,
  eventually,
  killKxds,
  namespace,
  startClusterKxds,
  startDoubleWithKubeconfig,
} from '../helpers/cluster-kxds';
import type { StoredObject } from '../k8s-double/selectors';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function ingress(name: string, className: string, secretName: string, annotations = {}): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'shop', annotations },
    spec: {
      ingressClassName: className,
      tls: [{ hosts: ['shop.example.com'], secretName }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  };
}

const secret = (name: string, type: string, data: Record<string, string>): StoredObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'shop' },
  type,
  data,
});

test(
  'kxds serve reads only the referenced Secrets, each by name, and serves them',
  { timeout: 120_000 },
  async (t) => {
    const { double, kubeconfig } = await startDoubleWithKubeconfig();
    const cleanup = new Cleanup();
    t.after(() => cleanup.run());
    cleanup.add(() => double.stop());
    const ca = await createCertificateAuthority('test CA', 1);
    const leaf = await issueCertificate(ca, {
      commonName: 'shop.example.com',
      hosts: ['shop.example.com'],
      usage: 'server',
      validDays: 1,
    });
    double.create(namespace('shop'));
    double.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ports: [{ name: 'http', port: 80 }] },
    });
    double.create(
      secret('shop-tls', 'kubernetes.io/tls', { 'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem) }),
    );
    double.create(secret('users', 'Opaque', { auth: b64('alice:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=\n') }));
    double.create(secret('db-password', 'Opaque', { password: b64('hunter2') }));
    double.create(
      secret('nginx-tls', 'kubernetes.io/tls', { 'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem) }),
    );
    double.create(
      ingress('shop', 'kxds', 'shop-tls', {
        'nginx.ingress.kubernetes.io/auth-type': 'basic',
        'nginx.ingress.kubernetes.io/auth-secret': 'users',
      }),
    );
    double.create(ingress('other', 'nginx', 'nginx-tls'));

    const kxds = await startClusterKxds(kubeconfig);
    cleanup.add(() => killKxds(kxds));
    await waitForHttp(`${kxds.adminUrl}/readyz`, 200, 60_000);

    const edge = await eventually(
      'the edge snapshot with the certificate and the users',
      async () => {
        const text = await (await fetch(`${kxds.adminUrl}/debug/snapshot?role=edge`)).text();
        return text.includes('"shop/shop-tls"') && text.includes('basic_auth') ? text : undefined;
      },
      30_000,
    );
    assert.ok(!edge.includes(leaf.keyPem.split('\n')[1] ?? '-'), 'the key is redacted in debug output');
    const warnings = JSON.stringify(await (await fetch(`${kxds.adminUrl}/debug/warnings`)).json());
    assert.doesNotMatch(warnings, /not found/, 'both Secrets were found');

    const secretRequests = double.requests.filter((r) => r.path.includes('/secrets'));
    assert.ok(secretRequests.length >= 4, 'a list and a watch of each referenced Secret');
    for (const r of secretRequests) {
      assert.equal(r.path, '/api/v1/namespaces/shop/secrets');
      assert.match(r.query['fieldSelector'] ?? '', /^metadata\.name=(shop-tls|users)$/);
    }
  },
);
