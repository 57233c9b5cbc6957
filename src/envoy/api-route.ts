// An "api" listener's IR route -> the envoy.config.route.v3.Route a proxyless gRPC client takes. Only what
// gRFC A28/A31 clients read: prefix, path or safe_regex path matches (no path_separated_prefix: an
// element-wise prefix "/p" becomes an exact "/p" route and a "/p/" prefix route), header matches with
// string_match (or, for older clients, exact_match / safe_regex_match) or present_match, a cluster or weighted clusters, hash policies, and max_stream_duration;
// retries on gRPC status codes with backoff (A44) and the fault filter's per-route HTTPFault (A33).
import type { Route } from '../generated/envoy/config/route/v3/Route';
import type { RouteMatch } from '../generated/envoy/config/route/v3/RouteMatch';
import type { HeaderMatcher } from '../generated/envoy/config/route/v3/HeaderMatcher';
import type { IrApiRoute } from '../ir/listeners';
import type { IrHeaderMatch, IrPathMatch, IrRetry } from '../ir/http';
import { durationMs } from './common';
import { hashPolicy } from './route-hash';
import { retryBackOff } from './http/route-action';
import { faultFilter, httpFault } from './http-filters/fault';
import { pack } from '../xds/encode';

// `legacy`: the deprecated exact_match and safe_regex_match, for clients that read nothing newer (with
// string_match, gRPC C-core 1.51 failed every call to the Service: test/e2e/proxyless-mesh-ccore.test.ts).
function headerMatcher(h: IrHeaderMatch, legacy: boolean): HeaderMatcher {
  if (h.exact !== undefined)
    return legacy ? { name: h.name, exact_match: h.exact } : { name: h.name, string_match: { exact: h.exact } };
  if (h.regex !== undefined)
    return legacy
      ? { name: h.name, safe_regex_match: { regex: h.regex } }
      : { name: h.name, string_match: { safe_regex: { regex: h.regex } } };
  return { name: h.name, present_match: true };
}

/** The path matches of one IR path: two for an element-wise prefix other than "/". */
function pathMatches(path: IrPathMatch): RouteMatch[] {
  if (path.kind === 'exact') return [{ path: path.path }];
  if (path.kind === 'regex') return [{ safe_regex: { regex: path.regex } }];
  if (path.path.endsWith('/')) return [{ prefix: path.path }];
  return [{ path: path.path }, { prefix: `${path.path}/` }];
}

export function apiRoutes(route: IrApiRoute, legacyHeaderMatch = false): Route[] {
  const [only] = route.backends;
  const target =
    route.backends.length === 1 && only
      ? { cluster: only.cluster }
      : {
          weighted_clusters: {
            clusters: route.backends.map((b) => ({ name: b.cluster, weight: { value: b.weight } })),
          },
        };
  // grpc_timeout_header_max caps the caller's own deadline too (A31: the smaller of the two wins).
  const cap = route.maxStreamDurationMs;
  const action: Route['route'] = {
    ...target,
    ...(route.hashOn.length > 0 ? { hash_policy: route.hashOn.map(hashPolicy) } : {}),
    ...(cap !== undefined && cap > 0
      ? { max_stream_duration: { max_stream_duration: durationMs(cap), grpc_timeout_header_max: durationMs(cap) } }
      : {}),
    ...(route.retry ? { retry_policy: retryPolicy(route.retry) } : {}),
  };
  const fault = route.fault
    ? { typed_per_filter_config: { [faultFilter.name]: pack('envoy.extensions.filters.http.fault.v3.HTTPFault', httpFault(route.fault)) } }
    : {};
  const headers = (route.match?.headers ?? []).map((h) => headerMatcher(h, legacyHeaderMatch));
  const paths = route.match ? pathMatches(route.match.path) : [{ prefix: route.prefix }];
  return paths.map((path) => ({
    ...(route.source ? { name: route.source } : {}),
    match: { ...path, ...(headers.length > 0 ? { headers } : {}) },
    route: action,
    ...fault,
  }));
}

/** gRFC A44: retry_on holds gRPC status names only (the dialect keeps only those); no per-try timeout. */
function retryPolicy(retry: IrRetry): NonNullable<Route['route']>['retry_policy'] {
  return {
    retry_on: retry.on.join(','),
    ...(retry.numRetries !== undefined ? { num_retries: { value: retry.numRetries } } : {}),
    ...(retry.backoff ? { retry_back_off: retryBackOff(retry.backoff) } : {}),
  };
}
