// Envoy's RedirectAction -> the Location of the redirect and its status: scheme (https_redirect or
// scheme_redirect), host_redirect, port_redirect, path_redirect / prefix_rewrite / regex_rewrite, strip_query.
// Changing the scheme without port_redirect drops a port that was the old scheme's default (":80" when
// going to https, ":443" going to http), as Envoy does; other ports stay.
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

export function redirectLocation(
  redirect: RedirectAction,
  match: RouteMatch,
  request: RedirectRequest,
): string {
  const scheme = redirect.https_redirect ? 'https' : (redirect.scheme_redirect ?? request.scheme);
  const host = redirect.host_redirect ? stripPort(redirect.host_redirect) : stripPort(request.authority);
  let port = redirect.host_redirect ? portOf(redirect.host_redirect) : portOf(request.authority);
  if (redirect.port_redirect) port = `:${redirect.port_redirect}`;
  else if (
    scheme !== request.scheme &&
    ((scheme === 'https' && port === ':80') || (scheme === 'http' && port === ':443'))
  )
    port = '';
  let path = request.path;
  if (redirect.path_redirect !== undefined) {
    // A query in path_redirect replaces the request's; without one the request's query is kept.
    path = redirect.path_redirect.includes('?')
      ? redirect.path_redirect
      : redirect.path_redirect + request.path.slice(pathWithoutQuery(request.path).length);
  } else if (redirect.prefix_rewrite !== undefined)
    path = prefixRewrite(path, match, redirect.prefix_rewrite);
  else if (redirect.regex_rewrite) path = regexRewrite(path, redirect.regex_rewrite);
  if (redirect.strip_query) path = pathWithoutQuery(path);
  return `${scheme}://${host}${port}${path}`;
}
