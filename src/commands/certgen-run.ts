// What `kxds certgen` (certgen.ts) does with its flags: generate or load the CA, issue the certificates,
// write the files and/or print the Secret manifests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCertificateAuthority } from '../certs/authority';
import {
  generateXdsCertificates,
  issueSidecarCertificates,
  serviceDnsNames,
} from '../certs/xds-certificates';
import {
  CERT_FILES,
  secretManifests,
  secretManifestsYaml,
  sidecarCertificateFiles,
  sidecarSecretManifests,
  writeCertificateFiles,
  writePemFiles,
} from '../certs/output';
import { DEFAULT_TRUST_DOMAIN } from '../certs/spiffe';
import type { CertgenFlags } from './certgen';

const NAMESPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Runs certgen; returns what goes to stdout (Secret manifests, or the list of files written). */
export async function runCertgen(flags: CertgenFlags): Promise<string> {
  if (!flags.outputDir && !flags.secrets)
    throw new Error('certgen: give --output-dir DIR, --secrets, or both (nothing to write otherwise)');
  for (const ns of [flags.secretsNamespace, ...flags.sidecarNamespace])
    if (!NAMESPACE.test(ns)) throw new Error(`certgen: "${ns}" is not a Kubernetes namespace name`);
  if (flags.fromCa) return addSidecars(flags, flags.fromCa);
  const serverHosts = [...serviceDnsNames(flags.serviceName, flags.secretsNamespace), ...flags.host];
  const certs = await generateXdsCertificates({
    serverHosts,
    validDays: flags.days,
    trustDomain: flags.trustDomain ?? DEFAULT_TRUST_DOMAIN,
    namespace: flags.secretsNamespace,
    sidecarNamespaces: flags.sidecarNamespace,
  });
  let out = '';
  if (flags.outputDir) {
    const files = writeCertificateFiles(flags.outputDir, certs, flags.force ?? false);
    // With --secrets, stdout is YAML for kubectl; the file list goes to stderr instead.
    const listing = `wrote ${files.join(', ')}\n`;
    if (flags.secrets) process.stderr.write(listing);
    else out += listing;
  }
  if (flags.secrets) out += secretManifestsYaml(secretManifests(certs, flags.secretsNamespace));
  return out;
}

/** Sidecar certificates for more namespaces from an existing CA: files and/or Secrets, nothing else. */
async function addSidecars(flags: CertgenFlags, caDir: string): Promise<string> {
  if (flags.sidecarNamespace.length === 0)
    throw new Error('certgen --from-ca: give --sidecar-namespace NS (it issues only sidecar certificates)');
  const read = (name: string): string => {
    const file = path.join(caDir, name);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`certgen --from-ca: cannot read ${file}: ${(err as Error).message}`);
    }
  };
  let ca;
  try {
    ca = await loadCertificateAuthority(read(CERT_FILES.caCert), read(CERT_FILES.caKey));
  } catch (err) {
    throw new Error(
      `certgen --from-ca ${caDir}: ca.crt and ca.key do not form a CA: ${(err as Error).message}`,
    );
  }
  const trustDomain = flags.trustDomain ?? DEFAULT_TRUST_DOMAIN;
  const sidecars = await issueSidecarCertificates(ca, trustDomain, flags.sidecarNamespace, flags.days);
  let out = '';
  if (flags.outputDir) {
    const files = writePemFiles(flags.outputDir, sidecarCertificateFiles(sidecars), flags.force ?? false);
    const listing = `wrote ${files.join(', ')}\n`;
    if (flags.secrets) process.stderr.write(listing);
    else out += listing;
  }
  if (flags.secrets) out += secretManifestsYaml(sidecarSecretManifests(sidecars, ca.certPem));
  return out;
}
