// The order of routes in one virtual host, as the spec's HTTPRouteRule and GRPCRouteRule comments define it
// (hostname precedence is the virtual host's, decided before this). HTTPRoute: an Exact path first, then
// (kxds's choice where the spec leaves it open) a RegularExpression path, longer first, then PathPrefix,
// longer first; then a method match, more header matches, more query parameter matches. GRPCRoute: more
// characters of service, then of method, then more header matches. Remaining ties: the older route, then
// "namespace/name" alphabetically, then rule order, then match order within the rule.
import type { CompareRankedRoutes, RankedRoute } from '../contract';

const PATH_RANK = { exact: 3, regex: 2, prefix: 1 } as const;

function pathLength(r: RankedRoute): number {
  const p = r.route.match.path;
  return p.kind === 'regex' ? p.regex.length : p.path.length;
}

const hasMethod = (r: RankedRoute): number =>
  r.route.match.headers.some((h) => h.name === ':method') ? 1 : 0;
const headerCount = (r: RankedRoute): number =>
  r.route.match.headers.filter((h) => h.name !== ':method').length;
const queryCount = (r: RankedRoute): number => r.route.match.queryParams?.length ?? 0;

/** Negative when `a` is more specific: each criterion is "larger wins". */
function byCriteria(
  a: RankedRoute,
  b: RankedRoute,
  criteria: readonly ((r: RankedRoute) => number)[],
): number {
  for (const criterion of criteria) {
    const d = criterion(b) - criterion(a);
    if (d !== 0) return d;
  }
  return 0;
}

const HTTP_CRITERIA: readonly ((r: RankedRoute) => number)[] = [
  (r) => PATH_RANK[r.route.match.path.kind],
  // Two Exact paths never match the same request, so their length decides nothing; prefix and regex length do.
  (r) => (r.route.match.path.kind === 'exact' ? 0 : pathLength(r)),
  hasMethod,
  headerCount,
  queryCount,
];

const GRPC_CRITERIA: readonly ((r: RankedRoute) => number)[] = [
  (r) => r.grpcMethod?.serviceChars ?? 0,
  (r) => r.grpcMethod?.methodChars ?? 0,
  headerCount,
];

function byOwner(a: RankedRoute, b: RankedRoute): number {
  const ta = a.owner.creationTimestamp;
  const tb = b.owner.creationTimestamp;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = `${a.owner.namespace}/${a.owner.name}`;
  const nb = `${b.owner.namespace}/${b.owner.name}`;
  if (na !== nb) return na < nb ? -1 : 1;
  // The same name in two kinds (an HTTPRoute and a GRPCRoute): an order that doesn't depend on input order.
  return a.owner.kind < b.owner.kind ? -1 : a.owner.kind > b.owner.kind ? 1 : 0;
}

export const compareRankedRoutes: CompareRankedRoutes = (a, b) => {
  let specific = 0;
  if (a.owner.kind === b.owner.kind) {
    specific = byCriteria(a, b, a.owner.kind === 'GRPCRoute' ? GRPC_CRITERIA : HTTP_CRITERIA);
  }
  if (specific !== 0) return specific;
  return byOwner(a, b) || a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
};
