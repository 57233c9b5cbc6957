// Where `kxds certgen` puts the certificates: PEM files in a directory (the names k8s/base's
// secretGenerator reads) and Kubernetes Secret manifests of type kubernetes.io/tls with ca.crt beside.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { PemKeyPair } from './authority';
import type { XdsCertificates } from './xds-certificates';

/** File names in --output-dir. The CA key is written too, so later runs can be audited; keep it private. */
export const CERT_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  clientCert: 'client.crt',
  clientKey: 'client.key',
} as const;

/** Secret names the shipped manifests and the webhook's --xds-client-tls-secret refer to. */
export const SECRET_NAMES = { server: 'kxds-server-tls', client: 'kxds-client-tls' } as const;

export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'kubernetes.io/tls';
  data: { 'tls.crt': string; 'tls.key': string; 'ca.crt': string };
}

/** Writes every PEM file; refuses to overwrite existing ones unless force, so a CA is not replaced by accident. */
export function writeCertificateFiles(dir: string, certs: XdsCertificates, force: boolean): string[] {
  const files: [string, string][] = [
    [CERT_FILES.caCert, certs.ca.certPem],
    [CERT_FILES.caKey, certs.ca.keyPem],
    [CERT_FILES.serverCert, certs.server.certPem],
    [CERT_FILES.serverKey, certs.server.keyPem],
    [CERT_FILES.clientCert, certs.client.certPem],
    [CERT_FILES.clientKey, certs.client.keyPem],
  ];
  const existing = files.map(([name]) => path.join(dir, name)).filter((file) => fs.existsSync(file));
  if (existing.length > 0 && !force)
    throw new Error(`${existing.join(', ')} already exist: pass --force to replace the certificates`);
  fs.mkdirSync(dir, { recursive: true });
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { mode: name.endsWith('.key') ? 0o600 : 0o644 });
    return file;
  });
}

function tlsSecret(name: string, namespace: string, pair: PemKeyPair, caPem: string): SecretManifest {
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'kxds' } },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(pair.certPem), 'tls.key': b64(pair.keyPem), 'ca.crt': b64(caPem) },
  };
}

/**
 * The server Secret in kxds's namespace and the client Secret there (for the edge) and in every namespace
 * with injected sidecars (a pod mounts Secrets of its own namespace only).
 */
export function secretManifests(
  certs: XdsCertificates,
  namespace: string,
  clientNamespaces: readonly string[],
): SecretManifest[] {
  const namespaces = [namespace, ...clientNamespaces.filter((ns) => ns !== namespace)];
  return [
    tlsSecret(SECRET_NAMES.server, namespace, certs.server, certs.ca.certPem),
    ...[...new Set(namespaces)].map((ns) =>
      tlsSecret(SECRET_NAMES.client, ns, certs.client, certs.ca.certPem),
    ),
  ];
}

export function secretManifestsYaml(secrets: readonly SecretManifest[]): string {
  return secrets.map((secret) => `---\n${stringify(secret, { lineWidth: 0 })}`).join('');
}
