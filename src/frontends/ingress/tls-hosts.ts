// Ingress spec.tls -> which host is served with which certificate. Hosts are claimed oldest Ingress first;
// a later Ingress naming another certificate for a claimed host gets a warning. A Secret that is missing
// or broken disables TLS for the hosts of that entry only.
import type { Ingress } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import { report, type Statuses } from '../../translate/findings';
import { compareHosts, normalizeHost } from './hosts';
import type { IrSecret, IrTlsChain, TlsVersion } from '../../ir/http';
import { certificateCovers, tlsSecret, validityProblem } from './tls-secrets';

export interface TlsHosts {
  chains: IrTlsChain[];
  secrets: IrSecret[];
  /** host -> the chain serving it. */
  byHost: Map<string, IrTlsChain>;
  /** Hosts whose only TLS entries name a Secret that can't be used: no chain, but HTTP still redirects. */
  failedHosts: Set<string>;
}

interface Claim {
  secret: string;
  minVersion: TlsVersion;
  owner: string;
}

export function tlsHosts(
  model: ModelView,
  ingresses: readonly { ingress: Ingress; minVersion: TlsVersion }[],
  warnings: Statuses,
  now: Date,
): TlsHosts {
  const claims = new Map<string, Claim>();
  const secrets = new Map<string, IrSecret>();
  const failed = new Set<string>();
  for (const { ingress, minVersion } of ingresses) {
    const namespace = ingress.metadata.namespace ?? 'default';
    const who = objectRef(ingress);
    for (const entry of ingress.spec.tls ?? []) {
      const hosts: string[] = [];
      for (const raw of entry.hosts ?? []) {
        const host = normalizeHost(raw);
        if (host) hosts.push(host);
        else report(warnings, ingress, 'InvalidHost', `tls host "${raw}" is not a valid host name; ignored`);
      }
      if (hosts.length === 0) {
        report(
          warnings,
          ingress,
          'UnsupportedValue',
          'a tls entry without hosts is ignored: kxds picks certificates by SNI host name',
        );
        continue;
      }
      if (!entry.secretName) {
        report(
          warnings,
          ingress,
          'InvalidCertificateRef',
          `tls for ${hosts.join(', ')} names no Secret; HTTPS fails for them and HTTP still redirects`,
        );
        for (const host of hosts) failed.add(host);
        continue;
      }
      const result = tlsSecret(model, namespace, entry.secretName);
      if (!result.ok) {
        report(
          warnings,
          ingress,
          'InvalidCertificateRef',
          `${result.reason}; HTTPS fails for ${hosts.join(', ')} and HTTP still redirects`,
        );
        for (const host of hosts) failed.add(host);
        continue;
      }
      secrets.set(result.secret.name, result.secret);
      // Served anyway (a client may accept it, and nothing better exists), but its owner must hear of it.
      const validity = validityProblem(result.certificate, now);
      if (validity)
        report(
          warnings,
          ingress,
          'InvalidCertificateRef',
          `Secret ${result.secret.name}: ${validity}; served anyway`,
        );
      const uncovered = hosts.filter((host) => !certificateCovers(result.certificate, host));
      if (uncovered.length > 0)
        report(
          warnings,
          ingress,
          'InvalidCertificateRef',
          `the certificate of Secret ${result.secret.name} does not name ${uncovered.join(', ')} (it names ${result.certificate.subjectAltName ?? 'no subjectAltName'}); clients will refuse it there; served anyway`,
        );
      for (const host of hosts) {
        const claim = claims.get(host);
        if (!claim) {
          claims.set(host, { secret: result.secret.name, minVersion, owner: who });
        } else if (claim.secret !== result.secret.name || claim.minVersion !== minVersion) {
          report(
            warnings,
            ingress,
            'HostConflict',
            `tls for host ${host} conflicts with ${claim.owner} (secret ${claim.secret}, minimum ${claim.minVersion}), which is older and wins`,
          );
        }
      }
    }
  }
  const chainsByKey = new Map<string, IrTlsChain>();
  const byHost = new Map<string, IrTlsChain>();
  for (const host of [...claims.keys()].sort(compareHosts)) {
    const claim = claims.get(host) as Claim;
    const key = `${claim.secret}|${claim.minVersion}`;
    let chain = chainsByKey.get(key);
    if (!chain) {
      chain = { secret: claim.secret, hosts: [], minVersion: claim.minVersion, virtualHosts: [] };
      chainsByKey.set(key, chain);
    }
    chain.hosts.push(host);
    byHost.set(host, chain);
  }
  // One Secret served with two minimum versions is two chains: each needs its own chain and route name.
  const perSecret = new Map<string, number>();
  for (const chain of chainsByKey.values())
    perSecret.set(chain.secret, (perSecret.get(chain.secret) ?? 0) + 1);
  for (const chain of chainsByKey.values())
    if ((perSecret.get(chain.secret) ?? 0) > 1 && chain.minVersion !== 'TLSv1_2')
      chain.name = `${chain.secret}/${chain.minVersion}`;
  const used = new Set([...chainsByKey.values()].map((c) => c.secret));
  return {
    chains: [...chainsByKey.keys()].sort().map((k) => chainsByKey.get(k) as IrTlsChain),
    secrets: [...secrets.keys()]
      .sort()
      .filter((n) => used.has(n))
      .map((n) => secrets.get(n) as IrSecret),
    byHost,
    failedHosts: new Set([...failed].filter((host) => !byHost.has(host))),
  };
}
