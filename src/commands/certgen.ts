// `kxds certgen`: makes the CA, kxds's serving certificate (xDS port and webhook) and one client
// certificate per identity (edge fleet, each sidecar namespace, an operator for CSDS), each carrying its
// SPIFFE id as a URI SAN, as PEM files for k8s/base's secretGenerator and/or as Secret manifests to pipe
// into `kubectl apply -f -`. With --from-ca, only sidecar certificates for more namespaces, from the CA an
// earlier run wrote.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
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

export interface CertgenFlags {
  outputDir?: string;
  secrets?: boolean;
  secretsNamespace: string;
  serviceName: string;
  sidecarNamespace: string[];
  trustDomain?: string;
  host: string[];
  days: number;
  force?: boolean;
  /** A directory holding ca.crt and ca.key: issue only the --sidecar-namespace certificates, with that CA. */
  fromCa?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} "${value}": expected a positive integer`);
    return n;
  };
}

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

export function register(program: Command): void {
  program
    .command('certgen')
    .description(
      'create the CA, the kxds server certificate and per-identity client certificates (edge, sidecars per namespace, operator)',
    )
    .option(
      '--output-dir <dir>',
      'write ca.crt/.key, server.crt/.key, webhook.crt/.key, edge.crt/.key, operator.crt/.key and sidecar-NS.crt/.key here',
    )
    .option(
      '--secrets',
      'print kubernetes.io/tls Secret manifests (server, edge, sidecars; with ca.crt) to stdout',
    )
    .option(
      '--secrets-namespace <ns>',
      "kxds's namespace: its Secrets, Service names, edge and operator identities",
      'kxds',
    )
    .option('--service-name <name>', "kxds's Service name (server certificate DNS names)", 'kxds')
    .option(
      '--sidecar-namespace <ns>',
      'issue the certificate injected sidecars of this namespace present (spiffe://TD/ns/NS/sa/kxds-sidecar; repeatable)',
      collect,
      [],
    )
    .option(
      '--trust-domain <domain>',
      'the trust domain of the SPIFFE ids (kxds serve --trust-domain)',
      DEFAULT_TRUST_DOMAIN,
    )
    .option(
      '--host <name-or-ip>',
      'an extra DNS name or IP for the server certificate (repeatable)',
      collect,
      [],
    )
    .option('--days <n>', 'validity of the server and client certificates', positiveInteger('--days'), 365)
    .option('--force', 'replace existing files in --output-dir')
    .option(
      '--from-ca <dir>',
      'issue only the --sidecar-namespace certificates, signed by the CA in DIR (ca.crt, ca.key of an earlier run)',
    )
    .action(async (flags: CertgenFlags) => {
      process.stdout.write(await runCertgen(flags));
    });
}
