// Ingress ssl-passthrough -> TLS passthrough routes on the HTTPS listener, as ingress-nginx does it: a
// connection whose SNI names a rule host goes, still encrypted, to the backend of that rule's "/" path (the
// Ingress's defaultBackend when the rule has none). Passthrough works on TCP, so paths and every other
// annotation of the Ingress do not apply, and it serves nothing over HTTP. The oldest Ingress keeps a host.
import type { Ingress, IngressBackend } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import type { IrTcpRoute } from '../../ir/listeners';
import { report } from '../../translate/findings';
import { ruleHost } from './hosts';
import type { RouteContext } from './build-ir';

/** The cluster a passthrough route names when its backend can't be resolved: none exists, Envoy closes. */
export const NO_PASSTHROUGH_BACKEND = 'kxds-no-backend';

/** The chain name of a host's passthrough route (unique per host; never a Secret's NAMESPACE/NAME). */
export function passthroughChainName(host: string): string {
  return `passthrough/${host}`;
}

function rootBackend(
  rule: NonNullable<Ingress['spec']['rules']>[number],
  ingress: Ingress,
): IngressBackend | undefined {
  const root = (rule.http?.paths ?? []).find((p) => (p.path ?? '/') === '/' && p.pathType !== 'Exact');
  return root?.backend ?? ingress.spec.defaultBackend;
}

/** The passthrough routes of the given Ingresses (oldest first), by host, with conditions for what fails. */
export function passthroughRoutes(ctx: RouteContext, ingresses: readonly Ingress[]): IrTcpRoute[] {
  const byHost = new Map<string, { route: IrTcpRoute; owner: string }>();
  for (const ingress of ingresses) {
    reportIgnored(ctx, ingress);
    for (const rule of ingress.spec.rules ?? []) {
      const host = ruleHost(rule, ingress, ctx.warnings);
      if (!host) continue;
      if (host === '*') {
        report(
          ctx.warnings,
          ingress,
          'InvalidHost',
          'ssl-passthrough routes by SNI and needs a rule host; rule ignored',
        );
        continue;
      }
      const owner = byHost.get(host)?.owner;
      if (owner !== undefined) {
        report(
          ctx.warnings,
          ingress,
          'RouteConflict',
          `ssl-passthrough host ${host} is already passed through by ${owner}, which wins; ignored here`,
        );
        continue;
      }
      byHost.set(host, {
        route: passthroughRoute(ctx, ingress, host, rootBackend(rule, ingress)),
        owner: objectRef(ingress),
      });
    }
  }
  return [...byHost.values()].map((entry) => entry.route);
}

const ROUTE_ANNOTATION = /^(kxds\.io|nginx\.ingress\.kubernetes\.io)\/(?!ssl-passthrough$)/;

/** Say what passthrough leaves unused, so nobody expects a rewrite or a certificate to apply. */
function reportIgnored(ctx: RouteContext, ingress: Ingress): void {
  const unused = Object.keys(ingress.metadata.annotations ?? {})
    .filter((key) => ROUTE_ANNOTATION.test(key))
    .sort();
  if ((ingress.spec.tls ?? []).length > 0) unused.push('spec.tls');
  if (unused.length > 0)
    report(
      ctx.warnings,
      ingress,
      'IncompatibleSettings',
      `ssl-passthrough proxies TLS undecrypted, so ${unused.join(', ')} ${unused.length === 1 ? 'does' : 'do'} not apply`,
    );
}

function passthroughRoute(
  ctx: RouteContext,
  ingress: Ingress,
  host: string,
  backend: IngressBackend | undefined,
): IrTcpRoute {
  const route = (cluster: string): IrTcpRoute => ({
    name: passthroughChainName(host),
    sni: [host],
    backends: [{ cluster, weight: 1 }],
    tls: { mode: 'passthrough' },
  });
  if (!backend) {
    report(
      ctx.warnings,
      ingress,
      'BackendNotFound',
      `ssl-passthrough host ${host} has no path / and the Ingress no defaultBackend; its TLS connections are closed`,
    );
    return route(NO_PASSTHROUGH_BACKEND);
  }
  const resolved = ctx.clusters.resolve(ingress, backend, 'tcp');
  if (!resolved.ok) {
    report(
      ctx.warnings,
      ingress,
      resolved.cause,
      `ssl-passthrough host ${host}: ${resolved.reason}; its TLS connections are closed`,
    );
    return route(NO_PASSTHROUGH_BACKEND);
  }
  return route(resolved.cluster.name);
}
