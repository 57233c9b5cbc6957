// Envoy's basic_auth HTTP filter, as kxds uses it: disabled in the chain, switched on per route by a
// BasicAuthPerRoute whose users are inline htpasswd lines with {SHA} hashes. A request passes when its
// Authorization header is "Basic base64(user:password)" for a listed user whose SHA-1 matches; otherwise
// Envoy answers 401 with its own text.
import { createHash } from 'node:crypto';
import type { BasicAuthPerRoute } from '../../src/generated/envoy/extensions/filters/http/basic_auth/v3/BasicAuthPerRoute';
import type { HeaderMap } from './header-ops';
import { dataSourceBytes } from './data-source';
import { anyFields, anyTypeUrl, type SupportProblems } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

export const BASIC_AUTH_FILTER = 'envoy.filters.http.basic_auth';

export function checkBasicAuthPerRoute(any: unknown, path: string, check: SupportProblems): void {
  if (anyTypeUrl(any) !== DOUBLE_TYPE_URLS.basicAuthPerRoute)
    return check.add(path, `expects ${DOUBLE_TYPE_URLS.basicAuthPerRoute}`);
  const config = anyFields<BasicAuthPerRoute>(any);
  check.fields(config, path, ['users']);
  check.fields(config.users, `${path}.users`, ['inline_string']);
  for (const line of String(config.users?.inline_string ?? '')
    .split('\n')
    .filter((l) => l !== ''))
    if (!/^[^:]+:\{SHA\}/.test(line)) check.add(`${path}.users`, 'checks only {SHA} htpasswd entries');
}

/** Why the request is refused (Envoy's 401 body), or undefined when the route's users let it through. */
export function basicAuthRefusal(
  perFilter: Record<string, unknown> | undefined,
  headers: HeaderMap,
): string | undefined {
  const any = perFilter?.[BASIC_AUTH_FILTER];
  // Disabled in the chain: a route without its own config is not authenticated.
  if (!any) return undefined;
  const users = new Map<string, string>();
  for (const line of dataSourceBytes(anyFields<BasicAuthPerRoute>(any).users).toString().split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) users.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const header = headers.get('authorization')?.[0] ?? '';
  const missing = 'User authentication failed. Missing username and password.';
  if (!/^basic /i.test(header)) return missing;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return missing;
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const expected = users.get(user);
  const actual = `{SHA}${createHash('sha1').update(password).digest('base64')}`;
  return expected === actual
    ? undefined
    : 'User authentication failed. Invalid username/password combination.';
}
