// Canary Ingresses (kxds.io/canary: "true", or ingress-nginx's canary annotations) don't get routes of
// their own: each of their paths shadows the main route with the same host and path. canary-weight splits
// the main route's traffic (weighted clusters); canary-by-header adds a header-matched route before it.
import type { Ingress } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import { report } from '../../translate/findings';
import type { PlacedRoute, RouteContext, RouteTable } from './build-ir';
import { ruleHost } from './hosts';
import type { IngressSettings } from './ingress-annotations';
import type { IrRouteMatch } from '../../ir/http';
import { matchKey, pathMatch } from './paths';

export function applyCanaries(
  ctx: RouteContext,
  table: RouteTable,
  canaries: readonly { ingress: Ingress; settings: IngressSettings }[],
): void {
  const taken = new Map<string, string>();
  for (const { ingress, settings } of canaries) {
    const who = objectRef(ingress);
    const canary = settings.canary;
    if (!canary || (canary.weight === undefined && !canary.header)) {
      report(
        ctx.warnings,
        ingress,
        'IncompleteCanary',
        'canary Ingress without canary-weight or canary-by-header; ignored',
      );
      continue;
    }
    const targets: {
      host: string;
      match: IrRouteMatch;
      backend: NonNullable<Ingress['spec']['defaultBackend']>;
      label: string;
    }[] = [];
    for (const rule of ingress.spec.rules ?? []) {
      const host = ruleHost(rule, ingress, ctx.warnings);
      if (!host) continue;
      for (const path of rule.http?.paths ?? []) {
        const label = `canary for host ${host} path ${path.path ?? '/'} (${path.pathType})`;
        const matched = pathMatch(path, settings.regex);
        if (!matched.ok) {
          report(ctx.warnings, ingress, 'InvalidPath', `${label}: ${matched.reason}; ignored`);
          continue;
        }
        targets.push({ host, match: { path: matched.match, headers: [] }, backend: path.backend, label });
      }
    }
    for (const { host, match, backend, label } of targets) {
      const key = matchKey({ match });
      const main = table.get(host)?.get(key);
      if (!main || main.route.action.kind !== 'forward') {
        report(
          ctx.warnings,
          ingress,
          'NoMatchingRoute',
          `${label}: no main Ingress forwards this host and path; ignored`,
        );
        continue;
      }
      const previous = taken.get(`${host}|${key}`);
      if (previous) {
        report(
          ctx.warnings,
          ingress,
          'RouteConflict',
          `${label}: ${previous} is already the canary here and is older; ignored`,
        );
        continue;
      }
      const resolved = ctx.clusters.resolve(
        ingress,
        backend,
        settings.backendProtocol ?? main.settings.backendProtocol,
      );
      if (!resolved.ok) {
        report(ctx.warnings, ingress, resolved.cause, `${label}: ${resolved.reason}; canary ignored`);
        continue;
      }
      taken.set(`${host}|${key}`, who);
      const canaryCluster = resolved.cluster.name;
      const mainAction = main.route.action;
      if (canary.header) {
        const headerMatch: IrRouteMatch = {
          path: match.path,
          headers: [
            {
              name: canary.header.name,
              ...(canary.header.value !== undefined ? { exact: canary.header.value } : {}),
            },
          ],
        };
        const placed: PlacedRoute = {
          // The main route's policies (timeouts, CORS, ...) apply to its canary too, as in ingress-nginx.
          route: {
            ...main.route,
            source: who,
            match: headerMatch,
            action: { ...mainAction, clusters: [{ cluster: canaryCluster, weight: 100 }] },
          },
          settings: main.settings,
        };
        table.get(host)?.set(matchKey(placed.route), placed);
      }
      if (canary.weight !== undefined && canary.weight > 0) {
        const mainCluster = mainAction.clusters[0]?.cluster ?? canaryCluster;
        const split = [
          { cluster: mainCluster, weight: 100 - canary.weight },
          { cluster: canaryCluster, weight: canary.weight },
        ].filter((c) => c.weight > 0);
        main.route = { ...main.route, action: { ...mainAction, clusters: split } };
      }
    }
  }
}
