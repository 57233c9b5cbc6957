// Where `kxds certgen` puts the certificates: PEM files in a directory (the names k8s/base's
// secretGenerator reads) and Kubernetes Secret manifests of type kubernetes.io/tls with ca.crt beside.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { PemKeyPair } from './authority';
import type { XdsCertificates } from './xds-certificates';

/** File names in --output-dir. The CA key is written too, so more identities can be issued later; keep it private. */
export const CERT_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  webhookCert: 'webhook.crt',
  webhookKey: 'webhook.key',
  edgeCert: 'edge.crt',
  edgeKey: 'edge.key',
  operatorCert: 'operator.crt',
  operatorKey: 'operator.key',
} as const;

/** The files of a namespace's sidecar certificate. */
export function sidecarFiles(namespace: string): { cert: string; key: string } {
  return { cert: `sidecar-${namespace}.crt`, key: `sidecar-${namespace}.key` };
}

/** Secret names the shipped manifests and the webhook's --sidecar-xds-tls-secret refer to. */
export const SECRET_NAMES = {
  server: 'kxds-server-tls',
  webhook: 'kxds-webhook-tls',
  edge: 'kxds-edge-tls',
  sidecar: 'kxds-sidecar-tls',
  /** Only kxds's in-cluster issuer writes these two: its CA, and an operator's client certificate (CSDS). */
  ca: 'kxds-ca',
  operator: 'kxds-operator-tls',
} as const;

export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'kubernetes.io/tls';
  data: { 'tls.crt': string; 'tls.key': string; 'ca.crt': string };
}

function certificateFiles(certs: XdsCertificates): [string, string][] {
  return [
    [CERT_FILES.caCert, certs.ca.certPem],
    [CERT_FILES.caKey, certs.ca.keyPem],
    [CERT_FILES.serverCert, certs.server.certPem],
    [CERT_FILES.serverKey, certs.server.keyPem],
    [CERT_FILES.webhookCert, certs.webhook.certPem],
    [CERT_FILES.webhookKey, certs.webhook.keyPem],
    [CERT_FILES.edgeCert, certs.edge.certPem],
    [CERT_FILES.edgeKey, certs.edge.keyPem],
    [CERT_FILES.operatorCert, certs.operator.certPem],
    [CERT_FILES.operatorKey, certs.operator.keyPem],
    ...sidecarCertificateFiles(certs.sidecars),
  ];
}

export function sidecarCertificateFiles(sidecars: XdsCertificates['sidecars']): [string, string][] {
  return sidecars.flatMap((s): [string, string][] => {
    const files = sidecarFiles(s.namespace);
    return [
      [files.cert, s.certPem],
      [files.key, s.keyPem],
    ];
  });
}

/** Writes every PEM file; refuses to overwrite existing ones unless force, so a CA is not replaced by accident. */
export function writeCertificateFiles(dir: string, certs: XdsCertificates, force: boolean): string[] {
  return writePemFiles(dir, certificateFiles(certs), force);
}

/** Writes [name, PEM] files into dir (keys readable by the owner only); refuses to overwrite unless force. */
export function writePemFiles(dir: string, files: readonly [string, string][], force: boolean): string[] {
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
 * The xDS server, webhook and edge Secrets in kxds's namespace, and each namespace's sidecar Secret there (a pod mounts
 * Secrets of its own namespace only). The operator's certificate is never a Secret: it is for a person.
 */
export function secretManifests(certs: XdsCertificates, namespace: string): SecretManifest[] {
  return [
    tlsSecret(SECRET_NAMES.server, namespace, certs.server, certs.ca.certPem),
    tlsSecret(SECRET_NAMES.webhook, namespace, certs.webhook, certs.ca.certPem),
    tlsSecret(SECRET_NAMES.edge, namespace, certs.edge, certs.ca.certPem),
    ...sidecarSecretManifests(certs.sidecars, certs.ca.certPem),
  ];
}

/** Each namespace's kxds-sidecar-tls Secret. */
export function sidecarSecretManifests(
  sidecars: XdsCertificates['sidecars'],
  caPem: string,
): SecretManifest[] {
  return sidecars.map((s) => tlsSecret(SECRET_NAMES.sidecar, s.namespace, s, caPem));
}

export function secretManifestsYaml(secrets: readonly SecretManifest[]): string {
  return secrets.map((secret) => `---\n${stringify(secret, { lineWidth: 0 })}`).join('');
}
