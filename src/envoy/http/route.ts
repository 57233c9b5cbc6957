// IR virtual hosts -> envoy.config.route.v3.RouteConfiguration. Element-wise prefixes use Envoy's
// path_separated_prefix; a prefix rewrite on one is split into an exact and a "P/" route so "/foo" and
// "/foo/bar" both rewrite cleanly (no "//bar"). A virtual host whose wildcard covers one label only (the
// Ingress rule) adds an :authority regex to its routes; Envoy's own "*.foo.com" matches any depth, which is
// Gateway API's rule.
import type { RouteConfiguration } from '../../xds/types';
import type { Route } from '../../generated/envoy/config/route/v3/Route';
import type { RouteMatch } from '../../generated/envoy/config/route/v3/RouteMatch';
import type { HeaderMatcher } from '../../generated/envoy/config/route/v3/HeaderMatcher';
import type { VirtualHost } from '../../generated/envoy/config/route/v3/VirtualHost';
import type { IrHeaderMatch, IrRoute, IrVirtualHost } from '../../ir/http';
import { ROUTE_HTTP_FILTERS, perFilterConfig } from '../http-filters';
import { forwardAction } from './route-action';
import { redirectAction } from './redirect';
import { headerFields } from './header-modifiers';
import { wildcardAuthorityRegex } from '../../ir/hostnames';

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
  const authority: HeaderMatcher[] =
    vhost.singleLabelWildcard && vhost.host.startsWith('*.')
      ? [{ name: ':authority', string_match: { safe_regex: { regex: wildcardAuthorityRegex(vhost.host) } } }]
      : [];
  return {
    name: vhost.name ?? virtualHostName(vhost.host),
    domains: vhost.domains ?? [vhost.host],
    routes: [
      ...vhost.routes.flatMap((route) => buildRoutes(route, authority)),
      ...(vhost.fallback ?? []).flatMap((route) => buildRoutes(route, [])),
    ],
  };
}

function headerMatcher(h: IrHeaderMatch): HeaderMatcher {
  if (h.exact !== undefined) return { name: h.name, string_match: { exact: h.exact } };
  if (h.regex !== undefined) return { name: h.name, string_match: { safe_regex: { regex: h.regex } } };
  return { name: h.name, present_match: true };
}

function queryMatcher(q: IrHeaderMatch): NonNullable<RouteMatch['query_parameters']>[number] {
  if (q.exact !== undefined) return { name: q.name, string_match: { exact: q.exact } };
  if (q.regex !== undefined) return { name: q.name, string_match: { safe_regex: { regex: q.regex } } };
  return { name: q.name, present_match: true };
}

/** The prefix a route rewrites to, for forwarding and for redirects alike. */
function prefixRewriteOf(route: IrRoute): string | undefined {
  const action = route.action;
  if (action.kind === 'forward') return route.policies.rewrite?.kind === 'prefix' ? route.policies.rewrite.value : undefined;
  if (action.kind === 'redirect') return action.redirect.path?.kind === 'prefix' ? action.redirect.path.value : undefined;
  return undefined;
}

function buildRoutes(route: IrRoute, authority: HeaderMatcher[]): Route[] {
  const headers: HeaderMatcher[] = [...authority, ...route.match.headers.map(headerMatcher)];
  const query = (route.match.queryParams ?? []).map(queryMatcher);
  const path = route.match.path;
  const withConditions = (match: RouteMatch): RouteMatch => ({
    ...match,
    ...(headers.length > 0 ? { headers } : {}),
    ...(query.length > 0 ? { query_parameters: query } : {}),
  });
  const rewrite = prefixRewriteOf(route);
  if (path.kind === 'prefix' && path.path === '/' && rewrite !== undefined && !rewrite.endsWith('/')) {
    // Replacing "/" with "/base" must give "/base/x" for "/x", not "/basex".
    return [
      buildRoute(route, withConditions({ path: '/' }), rewrite),
      buildRoute(route, withConditions({ prefix: '/' }), `${rewrite}/`),
    ];
  }
  if (path.kind === 'prefix' && path.path !== '/' && rewrite !== undefined) {
    // "/" + "rest" would double the slash when the replacement ends with one, so strip it there.
    const slashed = rewrite.endsWith('/') ? rewrite : `${rewrite}/`;
    return [
      buildRoute(route, withConditions({ path: path.path }), rewrite),
      buildRoute(route, withConditions({ prefix: `${path.path}/` }), slashed),
    ];
  }
  let match: RouteMatch;
  if (path.kind === 'exact') match = { path: path.path };
  else if (path.kind === 'regex') match = { safe_regex: { regex: path.regex } };
  else if (path.path === '/') match = { prefix: '/' };
  else match = { path_separated_prefix: path.path };
  return [buildRoute(route, withConditions(match), rewrite)];
}

function buildRoute(route: IrRoute, match: RouteMatch, prefixRewrite: string | undefined): Route {
  const action = route.action;
  // The owning Ingress as the route name: access logs (%ROUTE_NAME%) then say which Ingress served a request.
  const name = route.source.replace(/^Ingress /, '');
  const p = route.policies;
  const headers = headerFields(p.requestHeaders, p.responseHeaders);
  if (action.kind === 'direct') {
    const body = action.body !== undefined ? { body: { inline_string: action.body } } : {};
    return { name, match, direct_response: { status: action.status, ...body }, ...headers };
  }
  if (action.kind === 'redirect-https') return { name, match, redirect: { https_redirect: true } };
  if (action.kind === 'redirect')
    return { name, match, redirect: redirectAction(action.redirect, prefixRewrite), ...headers };
  const perFilter = perFilterConfig(ROUTE_HTTP_FILTERS, p);
  return {
    name,
    match,
    route: forwardAction(route, action, prefixRewrite),
    ...headers,
    ...(Object.keys(perFilter).length > 0 ? { typed_per_filter_config: perFilter } : {}),
  };
}
