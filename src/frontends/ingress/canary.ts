// Canary Ingresses (kxds.io/canary: "true", or ingress-nginx's canary annotations) don't get routes of
// their own: each of their paths shadows the main route with the same host and path. In ingress-nginx's
// order of precedence: canary-by-header adds a header-matched route (and, for "never", one that keeps the
// request on the main backend), canary-by-cookie the same by cookie value, and canary-weight (out of
// canary-weight-total) splits what is left between the main and the canary backend.
import type { Ingress } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import { report } from '../../translate/findings';
import type { PlacedRoute, RouteContext, RouteTable } from './build-ir';
import { ruleHost } from './hosts';
import type { IngressSettings } from './ingress-annotations';
import type { IrHeaderMatch, IrRouteMatch } from '../../ir/http';
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
    if (!canary || (canary.weight === undefined && !canary.header && !canary.cookie)) {
      report(
        ctx.warnings,
        ingress,
        'IncompleteCanary',
        'canary Ingress without canary-weight, canary-by-header or canary-by-cookie; ignored',
      );
      continue;
    }
    if (settings.failsClosed.length > 0) {
      report(
        ctx.warnings,
        ingress,
        'UnsupportedAccessControl',
        'a canary with access control kxds does not implement is not applied: its share stays on the main backend',
      );
      continue;
    }
    if (settings.sourceRanges || settings.basicAuth || settings.forwardAuth || settings.clientCertificates) {
      // The canary's share is a weighted cluster of the main route, which carries the main's RBAC, basic
      // and forward auth: applying it would serve the canary backend to clients its own access control refuses.
      report(
        ctx.warnings,
        ingress,
        'IncompatibleSettings',
        "a canary with its own address lists, basic or forward auth or client certificates is not applied: its share stays on the main backend (the main Ingress's access control covers the route)",
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
      const mainCluster = mainAction.clusters[0]?.cluster ?? canaryCluster;
      // The main route's policies (timeouts, CORS, ...) apply to its canary too, as in ingress-nginx.
      const pinned = (header: IrHeaderMatch, cluster: string): void => {
        const placed: PlacedRoute = {
          route: {
            ...main.route,
            source: who,
            match: { path: match.path, headers: [header] },
            action: { ...mainAction, clusters: [{ cluster, weight: 100 }] },
          },
          settings: main.settings,
          ingress,
        };
        // Header and cookie routes are more specific than the main one, so compareRoutes puts them first.
        if (!table.get(host)?.has(matchKey(placed.route)))
          table.get(host)?.set(matchKey(placed.route), placed);
      };
      if (canary.header) {
        const { name, value, never } = canary.header;
        pinned({ name, ...(value !== undefined ? { exact: value } : {}) }, canaryCluster);
        if (never) pinned({ name, exact: 'never' }, mainCluster);
      }
      if (canary.cookie) {
        pinned({ name: 'cookie', regex: cookieRegex(canary.cookie, 'always') }, canaryCluster);
        pinned({ name: 'cookie', regex: cookieRegex(canary.cookie, 'never') }, mainCluster);
      }
      if (canary.weight !== undefined && canary.weight.weight > 0) {
        const { weight, total } = canary.weight;
        const split = [
          { cluster: mainCluster, weight: total - weight },
          { cluster: canaryCluster, weight },
        ].filter((c) => c.weight > 0);
        main.route = { ...main.route, action: { ...mainAction, clusters: split } };
      }
    }
  }
}

/** RE2 (matched against the whole Cookie header, as Envoy does) for NAME=VALUE as one of its crumbs. */
export function cookieRegex(name: string, value: string): string {
  const quoted = name.replace(/[.+*?^$()[\]{}|\\]/g, '\\$&');
  return `(.*;\\s*)?${quoted}=${value}(\\s*;.*)?`;
}
