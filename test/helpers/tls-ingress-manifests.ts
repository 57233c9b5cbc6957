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
  /** The CA that issued the certificate: clients verify the edge with it. */
  caPem: string;
  /** Whether text or bytes show the key: a PEM line, raw, as base64 (a JSON bytes field) or as a byte list. */
  leaksKey(text: string | Uint8Array): boolean;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** Where the web Service's one endpoint is (a real backend in tests that send traffic). */
export interface TlsIngressBackend {
  address: string;
  port: number;
}

/** `annotations` go on the Ingress. */
export async function writeTlsIngressManifests(
  backend: TlsIngressBackend = { address: '127.0.0.9', port: 8080 },
  annotations: Record<string, string> = {},
): Promise<TlsIngressManifests> {
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
ports: [{ name: http, port: ${backend.port} }]
endpoints:
  - addresses: ["${backend.address}"]
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
metadata: { name: shop, namespace: shop, annotations: ${JSON.stringify(annotations)} }
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
  const firstLine = leaf.keyPem.split('\n').find((line) => line && !line.startsWith('-----')) ?? '';
  // A bytes field starts at the PEM's first byte, so the base64 of its first 96 bytes (a whole number of
  // base64 groups, past the fixed header) is in any JSON that carries the key; a Buffer printed by
  // JSON.stringify shows the line's bytes as a list of numbers.
  const asNumbers = [...Buffer.from(firstLine)].join(',');
  const needles = [firstLine, b64(leaf.keyPem.slice(0, 96)), asNumbers];
  const leaksKey = (text: string | Uint8Array): boolean => {
    const flat = (typeof text === 'string' ? text : Buffer.from(text).toString('latin1')).replace(/\s+/g, '');
    return needles.some((needle) => flat.includes(needle));
  };
  return { dir, keyPem: leaf.keyPem, caPem: ca.certPem, leaksKey };
}
