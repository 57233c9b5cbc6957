// Edge IR virtual hosts -> envoy.config.route.v3.RouteConfiguration. Element-wise prefixes use Envoy's
// path_separated_prefix; a prefix rewrite on one is split into an exact and a "P/" route so "/foo" and
// "/foo/bar" both rewrite cleanly (no "//bar"). Wildcard hosts add an :authority regex so "*.foo.com"
// matches exactly one label, as the Ingress API requires.
import type { RouteConfiguration } from '../../xds/types';
import type { Route } from '../../generated/envoy/config/route/v3/Route';
import type { RouteAction } from '../../generated/envoy/config/route/v3/RouteAction';
import type { RouteMatch } from '../../generated/envoy/config/route/v3/RouteMatch';
import type { HeaderMatcher } from '../../generated/envoy/config/route/v3/HeaderMatcher';
import type { VirtualHost } from '../../generated/envoy/config/route/v3/VirtualHost';
import { durationMs } from '../../envoy/common';
import { hashPolicy } from '../../envoy/route-hash';
import { isWildcardHost, wildcardAuthorityRegex } from '../edge/hosts';
import type { IrRoute, IrVirtualHost } from '../edge/ir';
import { EDGE_HTTP_FILTERS, perFilterConfig } from '../../envoy/http-filters';

export function buildRouteConfiguration(name: string, vhosts: readonly IrVirtualHost[]): RouteConfiguration {
  return {
    name,
    virtual_hosts: vhosts.map(buildVirtualHost),
    // The edge answers for every host; an unknown Host gets Envoy's 404, not a 404 from a backend.
    validate_clusters: { value: false },
  };
}

export function virtualHostName(host: string): string {
  return host === '*' ? 'any-host' : host;
}

function buildVirtualHost(vhost: IrVirtualHost): VirtualHost {
  const authority: HeaderMatcher[] = isWildcardHost(vhost.host)
    ? [{ name: ':authority', string_match: { safe_regex: { regex: wildcardAuthorityRegex(vhost.host) } } }]
    : [];
  return {
    name: virtualHostName(vhost.host),
    domains: [vhost.host],
    routes: vhost.routes.flatMap((route) => buildRoutes(route, authority)),
  };
}

function buildRoutes(route: IrRoute, authority: HeaderMatcher[]): Route[] {
  const headers: HeaderMatcher[] = [
    ...authority,
    ...route.match.headers.map((h) =>
      h.exact !== undefined
        ? { name: h.name, string_match: { exact: h.exact } }
        : { name: h.name, present_match: true },
    ),
  ];
  const path = route.match.path;
  const withHeaders = (match: RouteMatch): RouteMatch => (headers.length > 0 ? { ...match, headers } : match);
  const rewrite = route.action.kind === 'forward' ? route.policies.rewrite : undefined;
  if (path.kind === 'prefix' && path.path !== '/' && rewrite?.kind === 'prefix') {
    const slashed = rewrite.value.endsWith('/') ? rewrite.value : `${rewrite.value}/`;
    return [
      buildRoute(route, withHeaders({ path: path.path }), rewrite.value),
      buildRoute(route, withHeaders({ prefix: `${path.path}/` }), slashed),
    ];
  }
  let match: RouteMatch;
  if (path.kind === 'exact') match = { path: path.path };
  else if (path.kind === 'regex') match = { safe_regex: { regex: path.regex } };
  else if (path.path === '/') match = { prefix: '/' };
  else match = { path_separated_prefix: path.path };
  return [buildRoute(route, withHeaders(match), rewrite?.kind === 'prefix' ? rewrite.value : undefined)];
}

function buildRoute(route: IrRoute, match: RouteMatch, prefixRewrite: string | undefined): Route {
  const action = route.action;
  // The owning Ingress as the route name: access logs (%ROUTE_NAME%) then say which Ingress served a request.
  const name = route.source.replace(/^Ingress /, '');
  if (action.kind === 'direct') return { name, match, direct_response: { status: action.status } };
  if (action.kind === 'redirect-https') return { name, match, redirect: { https_redirect: true } };
  const p = route.policies;
  const routeAction: RouteAction = {};
  const [only] = action.clusters;
  if (action.clusters.length === 1 && only) routeAction.cluster = only.cluster;
  else {
    routeAction.weighted_clusters = {
      clusters: action.clusters.map((c) => ({ name: c.cluster, weight: { value: c.weight } })),
    };
  }
  if (p.timeoutMs !== undefined) routeAction.timeout = durationMs(p.timeoutMs);
  if (action.http2) {
    // gRPC clients send their deadline in grpc-timeout; let Envoy honour it (0 = no cap).
    routeAction.max_stream_duration = { grpc_timeout_header_max: durationMs(0) };
  }
  if (p.idleTimeoutMs !== undefined) routeAction.idle_timeout = durationMs(p.idleTimeoutMs);
  if (p.retry) {
    routeAction.retry_policy = {
      retry_on: p.retry.on.join(','),
      ...(p.retry.numRetries !== undefined ? { num_retries: { value: p.retry.numRetries } } : {}),
      ...(p.retry.perTryTimeoutMs !== undefined
        ? { per_try_timeout: durationMs(p.retry.perTryTimeoutMs) }
        : {}),
    };
  }
  if (prefixRewrite !== undefined) routeAction.prefix_rewrite = prefixRewrite;
  else if (p.rewrite?.kind === 'regex') {
    routeAction.regex_rewrite = {
      pattern: { regex: p.rewrite.pattern },
      substitution: p.rewrite.substitution,
    };
  }
  if (action.hashOn.length > 0) routeAction.hash_policy = action.hashOn.map(hashPolicy);
  if (p.websockets) routeAction.upgrade_configs = [{ upgrade_type: 'websocket', enabled: { value: true } }];
  if (action.autoHostRewrite) routeAction.auto_host_rewrite = { value: true };
  const perFilter = perFilterConfig(EDGE_HTTP_FILTERS, p);
  return {
    name,
    match,
    route: routeAction,
    ...(Object.keys(perFilter).length > 0 ? { typed_per_filter_config: perFilter } : {}),
  };
}
