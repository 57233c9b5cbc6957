// What a rule must be for kxds to serve it, decided before any backend is resolved: its matches (every
// regex RE2-checked), its filters, its backendRefs' own filters (header modifiers only, Host untouched),
// ReplacePrefixMatch only on PathPrefix matches, and its timeouts. A rule that fails is dropped whole (the
// caller reports it); one that passes comes back parsed, ready to become IR routes.
import type { IrRouteMatch } from '../../../ir/http';
import type { RouteParentContext, RankedRoute, TranslateRouteRules } from '../contract';
import type { RouteReason } from './conditions';
import { ruleFilters, type RuleFilters } from './filters';
import { grpcRouteMatch } from './grpc-matches';
import { headerModifierProblem } from './headers';
import { httpRouteMatch, ruleMatches } from './http-matches';
import { ruleTimeoutMs } from './timeouts';
import type { GRPCRouteRule, GRPCRouteSpec, HTTPRouteRule, HTTPRouteSpec } from './spec';

export type Route = Parameters<TranslateRouteRules>[0];
export type AnyRule = HTTPRouteRule | GRPCRouteRule;

export interface RuleMatch {
  match: IrRouteMatch;
  grpcMethod?: RankedRoute['grpcMethod'];
}

export type CheckedRule =
  | { ok: true; matches: RuleMatch[]; filters: RuleFilters; timeoutMs: number | undefined }
  | { ok: false; reason: RouteReason; message: string };

const BACKEND_FILTER_TYPES = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'ExtensionRef']);

/** The rules of a route; none at all is the CRD's default, one rule matching everything. */
export function rulesOf(route: Route): AnyRule[] {
  const spec = route.spec as HTTPRouteSpec | GRPCRouteSpec;
  return spec.rules && spec.rules.length > 0 ? [...spec.rules] : [{}];
}

function matchesOf(route: Route, rule: AnyRule): RuleMatch[] | string {
  const out: RuleMatch[] = [];
  if (route.kind === 'GRPCRoute') {
    const matches = (rule as GRPCRouteRule).matches;
    for (const m of matches && matches.length > 0 ? matches : [{}]) {
      const r = grpcRouteMatch(m);
      if (!r.ok) return r.message;
      out.push({ match: r.match, grpcMethod: { serviceChars: r.serviceChars, methodChars: r.methodChars } });
    }
    return out;
  }
  for (const m of ruleMatches((rule as HTTPRouteRule).matches)) {
    const r = httpRouteMatch(m);
    if (!r.ok) return r.message;
    out.push({ match: r.match });
  }
  return out;
}

/** Why a backendRef's own filters can't be served, if they can't. */
function backendFiltersProblem(rule: AnyRule): string | undefined {
  const filters = (rule.backendRefs ?? []).flatMap((b) => b.filters ?? []);
  const unsupported = filters.find((f) => !BACKEND_FILTER_TYPES.has(f.type));
  if (unsupported) return `backendRef filter ${unsupported.type} is not supported (only header modifiers)`;
  const host = filters
    .map((f) => headerModifierProblem(f.requestHeaderModifier ?? f.responseHeaderModifier))
    .find((p) => p !== undefined);
  return host === undefined ? undefined : `backendRef filter: ${host}`;
}

export function checkRule(route: Route, rule: AnyRule, listener: RouteParentContext): CheckedRule {
  const unsupported = (message: string): CheckedRule => ({ ok: false, reason: 'UnsupportedValue', message });
  const grpc = route.kind === 'GRPCRoute';
  const matches = matchesOf(route, rule);
  if (typeof matches === 'string') return unsupported(matches);
  const parsed = ruleFilters(rule.filters, listener, grpc);
  if (!parsed.ok) return parsed;
  const backendProblem = backendFiltersProblem(rule);
  if (backendProblem) return unsupported(backendProblem);
  const filters = parsed.filters;
  const prefixRewrite = filters.rewrite?.kind === 'prefix' || filters.redirect?.path?.kind === 'prefix';
  if (prefixRewrite && !matches.every((m) => m.match.path.kind === 'prefix'))
    return unsupported('ReplacePrefixMatch needs every match of the rule to be a PathPrefix match');
  // GRPCRoute has no timeouts: its streams are never cut (the client's grpc-timeout still applies).
  const timeoutMs = grpc ? 0 : ruleTimeoutMs(rule as HTTPRouteRule);
  if (typeof timeoutMs === 'string') return unsupported(timeoutMs);
  return { ok: true, matches, filters, timeoutMs };
}
