// TranslateRouteRules (contract.ts): one HTTPRoute or GRPCRoute attached to one listener -> ranked IR routes
// (one per rule match), the clusters and endpoints they use, and the route's conditions for that parent.
// A rule that can't be served as written is dropped (PartiallyInvalid, or Accepted False when every rule
// is); a backend that can't be resolved keeps its share of traffic and answers it with a 500.
import type { IrCluster, IrEndpoints } from '../../../ir/clusters';
import type { IrMirror, IrRoute, IrRouteAction, IrRoutePolicies } from '../../../ir/http';
import type { RouteParentContext, RankedRoute, RuleContext, TranslateRouteRules } from '../contract';
import { RouteProblems } from './conditions';
import type { RuleFilters } from './filters';
import { emptyBackendSink, forwardAction, useBackend, type BackendSink } from './forward';
import { checkRule, rulesOf, type AnyRule, type Route } from './rule-checks';

function mirrorsOf(
  filters: RuleFilters,
  route: Route,
  ctx: RuleContext,
  sink: BackendSink,
  problems: RouteProblems,
): IrMirror[] {
  const out: IrMirror[] = [];
  for (const mirror of filters.mirrors) {
    const resolved = useBackend(mirror.backendRef, route, ctx, sink, problems);
    if (resolved.ok)
      out.push({ cluster: resolved.cluster.name, ...(mirror.fraction ? { fraction: mirror.fraction } : {}) });
  }
  return out;
}

export const translateRouteRules: TranslateRouteRules = (route, listener, ctx) => {
  const problems = new RouteProblems(route, ctx.warnings);
  const sink = emptyBackendSink();
  const rules = rulesOf(route);
  const routes = rules.flatMap((rule, index) =>
    translateRule(route, rule, index, listener, ctx, sink, problems),
  );
  const sorted = <V>(m: Map<string, V>): V[] => [...m.keys()].sort().map((k) => m.get(k) as V);
  return {
    routes,
    clusters: sorted<IrCluster>(sink.clusters),
    endpoints: sorted<IrEndpoints>(sink.endpoints),
    conditions: problems.conditions(rules.length),
    backendPorts: sorted(sink.backendPorts),
  };
};

function translateRule(
  route: Route,
  rule: AnyRule,
  index: number,
  listener: RouteParentContext,
  ctx: RuleContext,
  sink: BackendSink,
  problems: RouteProblems,
): RankedRoute[] {
  const checked = checkRule(route, rule, listener);
  if (!checked.ok) {
    problems.dropRule(index, checked.reason, checked.message);
    return [];
  }
  const { matches, filters, timeoutMs: timeout } = checked;
  const action = ruleAction(route, rule, index, filters, ctx, sink, problems);
  const mirrors = mirrorsOf(filters, route, ctx, sink, problems);
  const http2 = action.kind === 'forward' && action.http2;
  const policies: IrRoutePolicies = {
    websockets:
      action.kind === 'forward' && action.clusters.some((c) => sink.websocketClusters.has(c.cluster)),
    grpcWeb: false,
    ...(filters.requestHeaders ? { requestHeaders: filters.requestHeaders } : {}),
    ...(filters.responseHeaders ? { responseHeaders: filters.responseHeaders } : {}),
    ...(filters.hostRewrite ? { hostRewrite: filters.hostRewrite } : {}),
    ...(mirrors.length > 0 ? { mirrors } : {}),
    ...(filters.cors ? { cors: filters.cors } : {}),
    // The Envoy back-end replaces prefixes element-wise, "/" included ("/" -> "/xyz": "/bar" -> "/xyz/bar").
    ...(filters.rewrite ? { rewrite: filters.rewrite } : {}),
  };
  // Unset: Envoy's default for HTTP/1 backends; none for HTTP/2 ones, so gRPC streams live.
  const timeoutMs = timeout ?? (http2 ? 0 : undefined);
  if (timeoutMs !== undefined) policies.timeoutMs = timeoutMs;
  const out: RankedRoute[] = [];
  for (const [matchIndex, m] of matches.entries()) {
    const irRoute: IrRoute = {
      source: `${route.kind} ${route.metadata.namespace ?? 'default'}/${route.metadata.name}`,
      match: m.match,
      action,
      policies: { ...policies },
    };
    out.push({
      route: irRoute,
      owner: {
        kind: route.kind,
        namespace: route.metadata.namespace ?? 'default',
        name: route.metadata.name,
        creationTimestamp: route.metadata.creationTimestamp ?? '',
      },
      ruleIndex: index,
      matchIndex,
      ...(m.grpcMethod ? { grpcMethod: m.grpcMethod } : {}),
    });
  }
  return out;
}

function ruleAction(
  route: Route,
  rule: AnyRule,
  index: number,
  filters: RuleFilters,
  ctx: RuleContext,
  sink: BackendSink,
  problems: RouteProblems,
): IrRouteAction {
  if (filters.redirect) return { kind: 'redirect', redirect: filters.redirect };
  const status = route.kind === 'GRPCRoute' ? 503 : 500;
  if (filters.extensionRefs.length > 0) {
    problems.unresolved(
      'InvalidKind',
      `rule ${index}: filter ExtensionRef ${filters.extensionRefs.join(', ')}: kxds serves no extension filters; the rule answers ${status}`,
    );
    return { kind: 'direct', status };
  }
  return forwardAction(rule.backendRefs ?? [], route, index, ctx, sink, problems);
}
