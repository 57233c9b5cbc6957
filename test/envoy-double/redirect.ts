// Envoy's RedirectAction -> the Location of the redirect and its status: scheme (https_redirect or
// scheme_redirect), host_redirect, port_redirect, path_redirect / prefix_rewrite / regex_rewrite, strip_query.
// Envoy's rules for the authority: host_redirect is used as written; otherwise the request's host keeps its
// port unless port_redirect replaces it or the scheme changes away from that port's default scheme.
import type { RedirectAction } from '../../src/generated/envoy/config/route/v3/RedirectAction';
import type { RouteMatch } from '../../src/generated/envoy/config/route/v3/RouteMatch';
import { prefixRewrite, regexRewrite } from './path-rewrite';
import { pathWithoutQuery } from './route-match';
import { stripPort } from './virtual-host';

const REDIRECT_CODES: Readonly<Record<string, number>> = {
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
};

export interface RedirectRequest {
  scheme: string;
  authority: string;
  path: string;
}

function portOf(authority: string): string {
  return authority.slice(stripPort(authority).length);
}

export function redirectStatus(redirect: RedirectAction): number {
  return REDIRECT_CODES[String(redirect.response_code ?? 'MOVED_PERMANENTLY')] ?? 301;
}

/**
 * The request's host for a redirect that keeps it: its port goes when port_redirect replaces it, or when
 * the scheme changes and the port was the old scheme's default (so http://foo:80 becomes https://foo).
 */
function keptHost(request: RedirectRequest, scheme: string, newPort: string): string {
  const port = portOf(request.authority);
  if (!port) return request.authority;
  const oldDefault =
    (request.scheme === 'https' && port === ':443') || (request.scheme === 'http' && port === ':80');
  return newPort !== '' || (scheme !== request.scheme && oldDefault)
    ? stripPort(request.authority)
    : request.authority;
}

export function redirectLocation(
  redirect: RedirectAction,
  match: RouteMatch,
  request: RedirectRequest,
): string {
  const scheme = redirect.scheme_redirect || (redirect.https_redirect ? 'https' : request.scheme);
  const port = redirect.port_redirect ? `:${redirect.port_redirect}` : '';
  // host_redirect is written as configured, port and all.
  const host = redirect.host_redirect || keptHost(request, scheme, port);
  let path = request.path;
  const redirectQuery = redirect.path_redirect?.includes('?') ?? false;
  if (redirect.path_redirect !== undefined) {
    // A query in path_redirect replaces the request's (and survives strip_query); without one the
    // request's query is kept.
    path = redirectQuery
      ? redirect.path_redirect
      : redirect.path_redirect + request.path.slice(pathWithoutQuery(request.path).length);
  } else if (redirect.prefix_rewrite !== undefined)
    path = prefixRewrite(path, match, redirect.prefix_rewrite);
  else if (redirect.regex_rewrite) path = regexRewrite(path, redirect.regex_rewrite);
  if (!path.startsWith('/')) path = `/${path}`;
  if (redirect.strip_query && !redirectQuery) path = pathWithoutQuery(path);
  return `${scheme}://${host}${port}${path}`;
}
