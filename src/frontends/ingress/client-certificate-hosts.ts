// Which hosts ask for client certificates, and their own filter chains. A host's setting is that of the
// oldest Ingress with rules for it (none counts as a setting too); a later Ingress on the host asking for
// different client certificates gets a condition and its routes there answer 403 (what it asked for can't
// be had on a host another Ingress set up), one asking for none is warned that its routes now need them.
// Each such host gets a chain of its own (its SNI name, the certificate its TLS entry named, the CA), and
// leaves the chain it shared: a client can't reach it through another chain's SNI or the default chain. A
// host asking for client certificates without TLS answers 403 over HTTP rather than serve without them.
import type { Ingress } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import { report } from '../../translate/findings';
import type { IrClientCertificates, IrTlsChain } from '../../ir/http';
import type { PlacedRoute, RouteContext, RouteTable } from './build-ir';

interface HostClaim {
  owner: Ingress;
  settings?: IrClientCertificates;
}

const same = (a?: IrClientCertificates, b?: IrClientCertificates): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const refused = (placed: PlacedRoute): PlacedRoute => ({
  ...placed,
  route: {
    ...placed.route,
    action: { kind: 'direct', status: 403 },
    policies: { websockets: false, grpcWeb: false },
  },
});

/** The hosts with client certificates (their chains added to `chains`); routes refused where they must be. */
export function applyClientCertificates(
  ctx: RouteContext,
  table: RouteTable,
  chains: IrTlsChain[],
  chainFor: (host: string) => IrTlsChain | undefined,
): Set<string> {
  const hosts = new Set<string>();
  for (const [host, routes] of table) {
    const claims = new Map<Ingress, HostClaim>();
    for (const placed of routes.values())
      // A canary's share rides on the main route (a canary asking for client certificates is not applied).
      if (!placed.settings.canary && !claims.has(placed.ingress))
        claims.set(placed.ingress, { owner: placed.ingress, settings: placed.settings.clientCertificates });
    // The table keeps the oldest Ingress's route first for each match; the oldest overall is the first claim.
    const ordered = [...claims.values()];
    const first = ordered[0];
    if (!first) continue;
    const losers = new Set<Ingress>();
    for (const claim of ordered.slice(1)) {
      if (same(claim.settings, first.settings)) continue;
      const who = objectRef(first.owner);
      if (claim.settings) {
        losers.add(claim.owner);
        report(
          ctx.warnings,
          claim.owner,
          'HostConflict',
          `host ${host}: its client-certificate settings differ from ${who}'s, which is older and wins; the routes of this Ingress there answer 403`,
        );
      } else {
        report(
          ctx.warnings,
          claim.owner,
          'HostConflict',
          `host ${host}: ${who} (older) asks for client certificates, so the routes of this Ingress there need them too`,
        );
      }
    }
    const chain = first.settings ? chainFor(host) : undefined;
    if (first.settings && !chain) {
      report(
        ctx.warnings,
        first.owner,
        'IncompatibleSettings',
        `host ${host} has no TLS certificate, so client certificates can't be asked for; its routes answer 403`,
      );
      for (const [key, placed] of routes) routes.set(key, refused(placed));
      continue;
    }
    for (const [key, placed] of routes) if (losers.has(placed.ingress)) routes.set(key, refused(placed));
    if (!first.settings || !chain) continue;
    hosts.add(host);
    const own: IrTlsChain = {
      secret: chain.secret,
      name: `${chain.name ?? chain.secret}/${host}`,
      hosts: [host],
      minVersion: chain.minVersion,
      ...(chain.extraSecrets ? { extraSecrets: chain.extraSecrets } : {}),
      clientCertificates: first.settings,
      virtualHosts: [],
    };
    chain.hosts = chain.hosts.filter((h) => h !== host);
    // A chain without names would match every SNI: one left with none is dropped.
    if (chain.hosts.length === 0) chains.splice(chains.indexOf(chain), 1);
    chains.push(own);
  }
  return hosts;
}
