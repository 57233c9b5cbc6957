// Flags of `kxds serve` for the workload certificate authority (src/ca/): where it listens, which CA signs,
// which token audience it accepts and how long a certificate lives. Checked here, started by ca-setup.ts.
import type { Command } from 'commander';

/** 24 hours: renewed by the agent at half its lifetime, so a stolen certificate is good for a day at most. */
export const WORKLOAD_CERTIFICATE_SECONDS = 24 * 3600;

export interface CaFlags {
  caAddress?: string;
  caSigningCert?: string;
  caSigningKey?: string;
  caTrustBundle?: string;
  caTokenAudience: string;
  workloadCertificateHours: string;
}

/** The audience projected tokens for kxds carry (the injected volume asks for it). */
export const DEFAULT_TOKEN_AUDIENCE = 'kxds';

export function addCaOptions(command: Command): Command {
  return command
    .option(
      '--ca-address <host:port>',
      'serve the workload CA (kxds.ca.v1.WorkloadCertificates) here, over TLS with the xDS serving certificate; needs the Kubernetes API (TokenReview)',
    )
    .option('--ca-signing-cert <file>', 'PEM certificate of the CA that signs workload certificates')
    .option('--ca-signing-key <file>', 'PEM PKCS#8 key of that CA')
    .option(
      '--ca-trust-bundle <file>',
      'PEM CAs handed to workloads as their trust bundle (default: --xds-client-ca)',
    )
    .option(
      '--ca-token-audience <audience>',
      'audience a workload token must be issued for',
      DEFAULT_TOKEN_AUDIENCE,
    )
    .option(
      '--workload-certificate-hours <hours>',
      'lifetime of a workload certificate (the agent renews at half of it)',
      String(WORKLOAD_CERTIFICATE_SECONDS / 3600),
    );
}

export interface CaSettings {
  address: string;
  files: { certFile: string; keyFile: string; bundleFile: string };
  audience: string;
  maxValiditySeconds: number;
}

/** undefined without --ca-address; throws naming the flag that is missing or wrong. */
export function caSettings(
  flags: CaFlags & { xdsClientCa?: string; manifests?: string },
): CaSettings | undefined {
  if (!flags.caAddress) {
    if (flags.caSigningCert || flags.caSigningKey)
      throw new Error('--ca-signing-cert and --ca-signing-key need --ca-address');
    return undefined;
  }
  if (flags.manifests)
    throw new Error('--ca-address needs the Kubernetes API to review tokens: not with --manifests');
  if (!flags.caSigningCert || !flags.caSigningKey)
    throw new Error('--ca-address needs --ca-signing-cert and --ca-signing-key');
  const bundleFile = flags.caTrustBundle ?? flags.xdsClientCa;
  if (!bundleFile)
    throw new Error('--ca-address needs the xDS TLS flags (its serving certificate) or --ca-trust-bundle');
  const hours = Number(flags.workloadCertificateHours);
  if (!Number.isFinite(hours) || hours < 1 || hours > 24 * 30)
    throw new Error(`--workload-certificate-hours: "${flags.workloadCertificateHours}" is not 1 to 720`);
  if (!/^[!-~]{1,253}$/.test(flags.caTokenAudience))
    throw new Error(`--ca-token-audience: "${flags.caTokenAudience}" is not a token audience`);
  return {
    address: flags.caAddress,
    files: { certFile: flags.caSigningCert, keyFile: flags.caSigningKey, bundleFile },
    audience: flags.caTokenAudience,
    maxValiditySeconds: Math.round(hours * 3600),
  };
}
