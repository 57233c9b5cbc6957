// The access flags of `kxds serve` (who may be served as edge, read CSDS, or claim a role in plaintext)
// and their translation into the AccessPolicy the xDS port enforces (src/server/authorize.ts).
import type { Command } from 'commander';
import type { AccessPolicy } from '../server/authorize';
import {
  DEFAULT_TRUST_DOMAIN,
  EDGE_SERVICE_ACCOUNT,
  OPERATOR_SERVICE_ACCOUNT,
  identityFromFlag,
} from '../certs/spiffe';

export interface AccessFlags {
  trustDomain: string;
  xdsEdgeIdentity: string[];
  xdsOperatorIdentity: string[];
  xdsInsecureRoles?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addAccessOptions(command: Command): Command {
  return command
    .option(
      '--trust-domain <domain>',
      'trust domain of the SPIFFE ids in client certificates',
      DEFAULT_TRUST_DOMAIN,
    )
    .option(
      '--xds-edge-identity <ns/sa|spiffe-uri>',
      `an identity that may be served as edge (repeatable; default NS/${EDGE_SERVICE_ACCOUNT}, NS = kxds's namespace)`,
      collect,
      [],
    )
    .option(
      '--xds-operator-identity <ns/sa|spiffe-uri>',
      `an identity that may read CSDS (repeatable; default NS/${OPERATOR_SERVICE_ACCOUNT})`,
      collect,
      [],
    )
    .option(
      '--xds-insecure-roles',
      'plaintext xDS only: serve edge, sidecar and CSDS to any peer, not just loopback (anyone reaching the port gets every Ingress private key)',
    );
}

/** Checks the identity flags; the defaults name ServiceAccounts in kxds's own namespace. */
export function accessPolicy(
  flags: AccessFlags,
  ownNamespace = process.env.POD_NAMESPACE || 'kxds',
): AccessPolicy {
  const { trustDomain } = flags;
  if (!/^[a-z0-9._-]+$/.test(trustDomain))
    throw new Error(`--trust-domain "${trustDomain}": lowercase letters, digits, ".", "-" and "_" only`);
  const identities = (flag: string, given: string[], serviceAccount: string): string[] =>
    (given.length ? given : [`${ownNamespace}/${serviceAccount}`]).map((v) =>
      identityFromFlag(flag, v, trustDomain),
    );
  return {
    trustDomain,
    edgeIdentities: identities('--xds-edge-identity', flags.xdsEdgeIdentity, EDGE_SERVICE_ACCOUNT),
    operatorIdentities: identities(
      '--xds-operator-identity',
      flags.xdsOperatorIdentity,
      OPERATOR_SERVICE_ACCOUNT,
    ),
    insecureRoles: flags.xdsInsecureRoles ?? false,
  };
}
