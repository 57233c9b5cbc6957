// A manifest directory with a real TLS Ingress: a kubernetes.io/tls Secret holding a freshly generated key
// (so every test knows the exact key bytes to look for), the Ingress that uses it, its backend Service, and
// the greeter Service for proxyless clients. Security tests grep every answer for the key.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { greeterManifest } from './greeter-manifest';

export const TLS_HOST = 'shop.example.com';
/** The Ingress's Secret, and the SDS Secret name kxds serves its certificate under. */
export const TLS_SECRET_REF = { namespace: 'shop', name: 'shop-tls' } as const;
export const TLS_SECRET_NAME = `${TLS_SECRET_REF.namespace}/${TLS_SECRET_REF.name}`;

export interface TlsIngressManifests {
  dir: string;
  keyPem: string;
  /** The base64 body of the PEM key: a leak shows up as these characters whatever the framing. */
  keyBody: string;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

export async function writeTlsIngressManifests(): Promise<TlsIngressManifests> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-tls-ingress-'));
  const ca = await createCertificateAuthority('test CA', 1);
  const leaf = await issueCertificate(ca, {
    commonName: TLS_HOST,
    hosts: [TLS_HOST],
    usage: 'server',
    validDays: 1,
  });
  fs.writeFileSync(
    path.join(dir, 'shop.yaml'),
    `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: kxds }
spec: { controller: kxds.io/ingress-controller }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-1, namespace: shop, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
ports: [{ name: http, port: 8080 }]
endpoints:
  - addresses: ["127.0.0.9"]
    conditions: { ready: true }
---
apiVersion: v1
kind: Secret
metadata: { name: ${TLS_SECRET_REF.name}, namespace: ${TLS_SECRET_REF.namespace} }
type: kubernetes.io/tls
data:
  tls.crt: ${b64(leaf.certPem)}
  tls.key: ${b64(leaf.keyPem)}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  ingressClassName: kxds
  tls: [{ hosts: ["${TLS_HOST}"], secretName: ${TLS_SECRET_REF.name} }]
  rules:
    - host: ${TLS_HOST}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: web, port: { number: 80 } } }
`,
  );
  fs.writeFileSync(path.join(dir, 'greeter.yaml'), greeterManifest(50051));
  const keyBody = leaf.keyPem
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
  return { dir, keyPem: leaf.keyPem, keyBody };
}
