// What Envoy's router decides for one request against one RouteConfiguration: the virtual host, the first
// route whose match holds, and its action: a direct response, a redirect, or forwarding to a cluster
// (weighted by the injectable random) with the rewritten path and host, the header mutations of every
// level, the timeout and the mirrors. No match answers 404, as Envoy's router does.
import type { RouteConfiguration } from '../../src/xds/types';
import type { Route } from '../../src/generated/envoy/config/route/v3/Route';
import type { RouteAction } from '../../src/generated/envoy/config/route/v3/RouteAction';
import type { VirtualHost } from '../../src/generated/envoy/config/route/v3/VirtualHost';
import type { HeaderLevel } from './header-ops';
import { dataSourceBytes } from './data-source';
import { fractionHits } from './fraction';
import { prefixRewrite, regexRewrite } from './path-rewrite';
import { redirectLocation, redirectStatus } from './redirect';
import { routeMatches } from './route-match';
import type { RequestHeaders } from './string-match';
import { selectVirtualHost } from './virtual-host';
import { pickWeightedCluster } from './weighted-clusters';
import { routeTimeoutMs } from './timeouts';

export interface RoutedRequest {
  scheme: string;
  authority: string;
  path: string;
  headers: RequestHeaders;
  random: () => number;
}

interface Levels {
  request: HeaderLevel[];
  response: HeaderLevel[];
  mostSpecificWins: boolean;
}

/** The route's typed_per_filter_config (the HTTP filters before the router read it). */
type PerFilter = Record<string, unknown> | undefined;

export type RouteDecision =
  | { kind: 'no-route' }
  | { kind: 'direct'; routeName: string; status: number; body: Buffer; levels: Levels; perFilter: PerFilter }
  | {
      kind: 'redirect';
      routeName: string;
      status: number;
      location: string;
      levels: Levels;
      perFilter: PerFilter;
    }
  | {
      kind: 'forward';
      perFilter: PerFilter;
      routeName: string;
      cluster: string;
      path: string;
      /** host_rewrite_literal (route or weighted cluster), if any. */
      hostRewrite?: string;
      autoHostRewrite: boolean;
      levels: Levels;
      /** undefined: no timeout. */
      timeoutMs: number | undefined;
      mirrors: string[];
      clusterNotFoundStatus: number;
    };

const NOT_FOUND_CODES: Readonly<Record<string, number>> = {
  SERVICE_UNAVAILABLE: 503,
  NOT_FOUND: 404,
  INTERNAL_SERVER_ERROR: 500,
};

/** Anything carrying the four header-mutation fields: a weighted cluster, route, virtual host or route config. */
interface MutationFields {
  request_headers_to_add?: HeaderLevel['add'];
  request_headers_to_remove?: string[];
  response_headers_to_add?: HeaderLevel['add'];
  response_headers_to_remove?: string[];
}

/** The levels most specific first: the weighted cluster (if one was picked), route, virtual host, config. */
function levelsOf(
  config: RouteConfiguration,
  vhost: VirtualHost,
  route: Route,
  weighted?: MutationFields,
): Levels {
  const levels: MutationFields[] = [...(weighted ? [weighted] : []), route, vhost, config];
  return {
    request: levels.map((l) => ({ add: l.request_headers_to_add, remove: l.request_headers_to_remove })),
    response: levels.map((l) => ({ add: l.response_headers_to_add, remove: l.response_headers_to_remove })),
    mostSpecificWins: config.most_specific_header_mutations_wins ?? false,
  };
}

function forward(
  config: RouteConfiguration,
  vhost: VirtualHost,
  route: Route,
  action: RouteAction,
  request: RoutedRequest,
): RouteDecision {
  const routeName = route.name ?? '';
  const weighted = action.weighted_clusters
    ? pickWeightedCluster(action.weighted_clusters, request.random)
    : undefined;
  const cluster = weighted ? (weighted.name ?? '') : (action.cluster ?? '');
  const match = route.match ?? {};
  let path = request.path;
  if (action.prefix_rewrite !== undefined) path = prefixRewrite(path, match, action.prefix_rewrite);
  else if (action.regex_rewrite) path = regexRewrite(path, action.regex_rewrite);
  return {
    kind: 'forward',
    perFilter: route.typed_per_filter_config as PerFilter,
    routeName,
    cluster,
    path,
    hostRewrite: weighted?.host_rewrite_literal ?? action.host_rewrite_literal,
    autoHostRewrite: action.auto_host_rewrite?.value ?? false,
    levels: levelsOf(config, vhost, route, weighted),
    timeoutMs: routeTimeoutMs(action, request.headers),
    mirrors: (action.request_mirror_policies ?? [])
      .filter(
        (m) =>
          !m.runtime_fraction?.default_value ||
          fractionHits(m.runtime_fraction.default_value, request.random),
      )
      .map((m) => m.cluster ?? ''),
    clusterNotFoundStatus:
      NOT_FOUND_CODES[String(action.cluster_not_found_response_code ?? 'SERVICE_UNAVAILABLE')] ?? 503,
  };
}

export function decideRoute(config: RouteConfiguration, request: RoutedRequest): RouteDecision {
  const vhost = selectVirtualHost(config, request.authority);
  if (!vhost) return { kind: 'no-route' };
  const route = (vhost.routes ?? []).find((r) => routeMatches(r.match ?? {}, request));
  if (!route) return { kind: 'no-route' };
  const routeName = route.name ?? '';
  if (route.direct_response) {
    const { status, body } = route.direct_response;
    return {
      kind: 'direct',
      routeName,
      status: Number(status),
      body: dataSourceBytes(body),
      levels: levelsOf(config, vhost, route),
      perFilter: route.typed_per_filter_config as PerFilter,
    };
  }
  if (route.redirect) {
    return {
      kind: 'redirect',
      routeName,
      status: redirectStatus(route.redirect),
      location: redirectLocation(route.redirect, route.match ?? {}, request),
      levels: levelsOf(config, vhost, route),
      perFilter: route.typed_per_filter_config as PerFilter,
    };
  }
  if (route.route) return forward(config, vhost, route, route.route, request);
  throw new Error(`envoy-double: route ${routeName} has an action it does not implement`);
}
