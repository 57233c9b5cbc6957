// The HTTP filters the double accepts in a connection manager's chain. It runs the router, RBAC's
// per-route policies (rbac.ts), per-route basic auth (basic-auth.ts), header removal (header-mutation.ts) and ext_authz (ext-authz.ts); any other filter is accepted only in a configuration where Envoy would do
// nothing with it (CORS without a per-route policy, a local rate limit without a token bucket, gRPC-Web
// disabled, RBAC without rules in the chain), and refused otherwise.
import type { HttpFilter } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import { anyFields, anyTypeUrl, type SupportProblems } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';
import { extAuthzProblem, isExtAuthzName } from './ext-authz';
import type { ExtAuthz } from '../../src/generated/envoy/extensions/filters/http/ext_authz/v3/ExtAuthz';

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
  // Empty in the chain; routes carry the headers to remove (see header-mutation.ts).
  'envoy.filters.http.header_mutation': { typeUrl: DOUBLE_TYPE_URLS.headerMutation, notNoOp: onlyFields([]) },
  'envoy.filters.http.grpc_web': {
    typeUrl: DOUBLE_TYPE_URLS.grpcWeb,
    notNoOp: (filter) =>
      filter.disabled ? undefined : 'does not implement gRPC-Web (accepted only disabled)',
  },
};

/** The chain's name of a filter may be an instance name ("envoy.filters.http.ext_authz/..."). */
function knownFilter(name: string): KnownFilter | undefined {
  if (isExtAuthzName(name))
    return {
      typeUrl: DOUBLE_TYPE_URLS.extAuthz,
      notNoOp: (filter, config) => extAuthzProblem(filter, config as ExtAuthz),
    };
  return KNOWN_FILTERS[name];
}

export function checkHttpFilters(filters: readonly HttpFilter[], path: string, check: SupportProblems): void {
  if (filters.at(-1)?.name !== 'envoy.filters.http.router')
    check.add(path, 'needs the router as the last HTTP filter');
  for (const [i, filter] of filters.entries()) {
    const at = `${path}[${i} ${filter.name}]`;
    check.fields(filter, at, ['name', 'typed_config', 'disabled']);
    const known = knownFilter(String(filter.name));
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
