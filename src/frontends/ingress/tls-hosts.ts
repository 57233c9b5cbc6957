// Ingress spec.tls -> which host is served with which certificate. Hosts are claimed oldest Ingress first;
// a later Ingress naming another certificate for a claimed host gets a warning. A Secret that is missing
// or broken disables TLS for the hosts of that entry only.
import type { Ingress } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import { report, type Statuses } from '../../translate/findings';
import { compareHosts, normalizeHost } from './hosts';
import type { IrSecret, IrTlsChain, TlsVersion } from '../../ir/http';
import { tlsSecret } from './tls-secrets';

export interface TlsHosts {
  chains: IrTlsChain[];
  secrets: IrSecret[];
  /** host -> the chain serving it. */
  byHost: Map<string, IrTlsChain>;
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
): TlsHosts {
  const claims = new Map<string, Claim>();
  const secrets = new Map<string, IrSecret>();
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
          `tls for ${hosts.join(', ')} names no Secret; TLS disabled for them`,
        );
        continue;
      }
      const result = tlsSecret(model, namespace, entry.secretName);
      if (!result.ok) {
        report(
          warnings,
          ingress,
          'InvalidCertificateRef',
          `${result.reason}; TLS disabled for ${hosts.join(', ')}`,
        );
        continue;
      }
      secrets.set(result.secret.name, result.secret);
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
  const used = new Set([...chainsByKey.values()].map((c) => c.secret));
  return {
    chains: [...chainsByKey.keys()].sort().map((k) => chainsByKey.get(k) as IrTlsChain),
    secrets: [...secrets.keys()]
      .sort()
      .filter((n) => used.has(n))
      .map((n) => secrets.get(n) as IrSecret),
    byHost,
  };
}
