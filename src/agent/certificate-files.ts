// Where the agent leaves a workload certificate for Envoy: tls.crt (chain), tls.key and ca.crt (the trust
// bundle) in one directory, plus an SDS file (xds-client-sds.yaml) naming them, which Envoy's file-based SDS
// (path_config_source with watched_directory) reloads when the directory changes. Each file is written to
// a temporary name and renamed, and the key before the certificate, so a reader never sees half a file or a
// certificate without its key; the key is readable by its owner only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkloadCertificate } from './fetch-certificate';

/** The SDS secret name the bootstrap's xDS cluster asks for. */
export const XDS_CLIENT_SECRET = 'kxds-xds-client';
export const SDS_FILE = 'xds-client-sds.yaml';

function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, text, { mode });
  fs.renameSync(temporary, file);
}

/** The SDS DiscoveryResponse Envoy reads from a file: one TLS certificate from the two files. */
export function sdsFileText(dir: string): string {
  return [
    'resources:',
    '  - "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
    `    name: ${XDS_CLIENT_SECRET}`,
    '    tls_certificate:',
    `      certificate_chain: { filename: ${JSON.stringify(path.join(dir, 'tls.crt'))} }`,
    `      private_key: { filename: ${JSON.stringify(path.join(dir, 'tls.key'))} }`,
    `      watched_directory: { path: ${JSON.stringify(dir)} }`,
    '',
  ].join('\n');
}

export function writeCertificateFiles(dir: string, certificate: WorkloadCertificate): void {
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, 'tls.key'), certificate.keyPem, 0o600);
  writeAtomically(path.join(dir, 'tls.crt'), certificate.chainPem, 0o644);
  writeAtomically(path.join(dir, 'ca.crt'), certificate.trustBundlePem, 0o644);
  writeAtomically(path.join(dir, SDS_FILE), sdsFileText(dir), 0o644);
}
