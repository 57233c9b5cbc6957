// `kxds certgen`: makes the CA, kxds's serving certificate (xDS port and webhook) and one client
// certificate per identity (edge fleet, each sidecar namespace, an operator for CSDS), each carrying its
// SPIFFE id as a URI SAN, as PEM files for k8s/base's secretGenerator and/or as Secret manifests to pipe
// into `kubectl apply -f -`. With --from-ca, only sidecar certificates for more namespaces, from the CA an
// earlier run wrote. This file registers the flags; certgen-run.ts (X.509, YAML) is loaded when it runs.
import { Command } from 'commander';
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
      const { runCertgen } = await import('./certgen-run.js');
      process.stdout.write(await runCertgen(flags));
    });
}
