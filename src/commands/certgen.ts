// `kxds certgen`: makes the CA, kxds's serving certificate and Envoy's client certificate for mutual TLS on
// the xDS port (and the webhook's HTTPS), as PEM files for k8s/base's secretGenerator and/or as Secret
// manifests to pipe into `kubectl apply -f -`.
import { Command } from 'commander';

export interface CertgenFlags {
  outputDir?: string;
  secrets?: boolean;
  secretsNamespace: string;
  serviceName: string;
  clientNamespace: string[];
  host: string[];
  days: number;
  force?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} "${value}": expected a positive integer`);
    return n;
  };
}

/** Runs certgen; returns what goes to stdout (Secret manifests, or the list of files written). */
export async function runCertgen(flags: CertgenFlags): Promise<string> {
  if (!flags.outputDir && !flags.secrets)
    throw new Error('certgen: give --output-dir DIR, --secrets, or both (nothing to write otherwise)');
  // X.509 and YAML load only when certificates are made, not for `kxds --help`.
  const [
    { generateXdsCertificates, serviceDnsNames },
    { secretManifests, secretManifestsYaml, writeCertificateFiles },
  ] = await Promise.all([import('../certs/xds-certificates.js'), import('../certs/output.js')]);
  const serverHosts = [...serviceDnsNames(flags.serviceName, flags.secretsNamespace), ...flags.host];
  const certs = await generateXdsCertificates({ serverHosts, validDays: flags.days });
  let out = '';
  if (flags.outputDir) {
    const files = writeCertificateFiles(flags.outputDir, certs, flags.force ?? false);
    // With --secrets, stdout is YAML for kubectl; the file list goes to stderr instead.
    const listing = `wrote ${files.join(', ')}\n`;
    if (flags.secrets) process.stderr.write(listing);
    else out += listing;
  }
  if (flags.secrets)
    out += secretManifestsYaml(secretManifests(certs, flags.secretsNamespace, flags.clientNamespace));
  return out;
}

export function register(program: Command): void {
  program
    .command('certgen')
    .description('create the CA, server and Envoy client certificates for mutual TLS between Envoy and kxds')
    .option('--output-dir <dir>', 'write ca.crt/ca.key, server.crt/server.key, client.crt/client.key here')
    .option('--secrets', 'print kubernetes.io/tls Secret manifests (with ca.crt) to stdout')
    .option('--secrets-namespace <ns>', "kxds's namespace: the server Secret and the Service names", 'kxds')
    .option('--service-name <name>', "kxds's Service name (server certificate DNS names)", 'kxds')
    .option(
      '--client-namespace <ns>',
      'also print the client Secret in this namespace, for injected sidecars there (repeatable)',
      collect,
      [],
    )
    .option(
      '--host <name-or-ip>',
      'an extra DNS name or IP for the server certificate (repeatable)',
      collect,
      [],
    )
    .option('--days <n>', 'validity of the server and client certificates', positiveInteger('--days'), 365)
    .option('--force', 'replace existing files in --output-dir')
    .action(async (flags: CertgenFlags) => {
      process.stdout.write(await runCertgen(flags));
    });
}
