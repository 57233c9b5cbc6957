// The HTTP filters the double accepts in a connection manager's chain. It runs the router, RBAC's
// per-route policies (rbac.ts) and per-route basic auth (basic-auth.ts); any other filter is accepted only in a configuration where Envoy would do
// nothing with it (CORS without a per-route policy, a local rate limit without a token bucket, gRPC-Web
// disabled, RBAC without rules in the chain), and refused otherwise.
import type { HttpFilter } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import { anyFields, anyTypeUrl, type SupportProblems } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

interface KnownFilter {
  typeUrl: string;
  /** Why this instance is not a no-op, or undefined when it is. */
  notNoOp(filter: HttpFilter, config: Record<string, unknown>): string | undefined;
}

const onlyFields = (allowed: string[]) => (_f: HttpFilter, config: Record<string, unknown>) => {
  const extra = Object.keys(config).filter((k) => !allowed.includes(k));
  return extra.length > 0 ? `does not implement this filter's ${extra.join(', ')}` : undefined;
};

const KNOWN_FILTERS: Readonly<Record<string, KnownFilter>> = {
  'envoy.filters.http.router': { typeUrl: DOUBLE_TYPE_URLS.router, notNoOp: onlyFields([]) },
  'envoy.filters.http.cors': { typeUrl: DOUBLE_TYPE_URLS.cors, notNoOp: onlyFields([]) },
  // The chain's copy without rules enforces nothing; routes carry the policies (see rbac.ts).
  'envoy.filters.http.rbac': { typeUrl: DOUBLE_TYPE_URLS.rbac, notNoOp: onlyFields([]) },
  'envoy.filters.http.local_ratelimit': {
    typeUrl: DOUBLE_TYPE_URLS.localRateLimit,
    notNoOp: onlyFields(['stat_prefix']),
  },
  // Switched on per route with the route's users (see basic-auth.ts).
  'envoy.filters.http.basic_auth': {
    typeUrl: DOUBLE_TYPE_URLS.basicAuth,
    notNoOp: (filter, config) =>
      filter.disabled && Object.keys(config).length === 0
        ? undefined
        : 'implements basic_auth only disabled in the chain and enabled per route',
  },
  'envoy.filters.http.grpc_web': {
    typeUrl: DOUBLE_TYPE_URLS.grpcWeb,
    notNoOp: (filter) =>
      filter.disabled ? undefined : 'does not implement gRPC-Web (accepted only disabled)',
  },
};

export function checkHttpFilters(filters: readonly HttpFilter[], path: string, check: SupportProblems): void {
  if (filters.at(-1)?.name !== 'envoy.filters.http.router')
    check.add(path, 'needs the router as the last HTTP filter');
  for (const [i, filter] of filters.entries()) {
    const at = `${path}[${i} ${filter.name}]`;
    check.fields(filter, at, ['name', 'typed_config', 'disabled']);
    const known = KNOWN_FILTERS[String(filter.name)];
    if (!known) {
      check.add(at, 'does not implement this HTTP filter');
      continue;
    }
    if (anyTypeUrl(filter.typed_config) !== known.typeUrl)
      check.add(`${at}.typed_config`, `expects ${known.typeUrl}`);
    const problem = known.notNoOp(filter, anyFields<Record<string, unknown>>(filter.typed_config));
    if (problem) check.add(at, problem);
  }
}
