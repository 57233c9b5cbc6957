// Envoy's RouteMatch: one path specifier (prefix, path, path_separated_prefix, safe_regex) compared with the
// path without its query, case_sensitive (default true; regexes ignore it, as Envoy does), then every header
// and query parameter matcher, the grpc flag (content-type application/grpc*) and runtime_fraction (its
// default value, drawn with the double's injectable random).
import type { RouteMatch } from '../../src/generated/envoy/config/route/v3/RouteMatch';
import {
  headerMatches,
  queryParameterMatches,
  queryParameters,
  re2FullMatch,
  type RequestHeaders,
} from './string-match';
import { fractionHits } from './fraction';

export interface MatchInput {
  /** The :path (normalized as the HCM says), query included. */
  path: string;
  headers: RequestHeaders;
  random: () => number;
}

export function pathWithoutQuery(path: string): string {
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}

function pathMatches(match: RouteMatch, path: string): boolean {
  const caseSensitive = match.case_sensitive?.value ?? true;
  const fold = (s: string): string => (caseSensitive ? s : s.toLowerCase());
  if (match.prefix !== undefined) return fold(path).startsWith(fold(match.prefix));
  if (match.path !== undefined) return fold(path) === fold(match.path);
  if (match.path_separated_prefix !== undefined) {
    const prefix = fold(match.path_separated_prefix);
    const value = fold(path);
    return value === prefix || value.startsWith(`${prefix}/`);
  }
  if (match.safe_regex?.regex !== undefined) return re2FullMatch(match.safe_regex.regex, path);
  throw new Error(
    `envoy-double: RouteMatch without a path specifier it implements: ${JSON.stringify(match)}`,
  );
}

export function routeMatches(match: RouteMatch, input: MatchInput): boolean {
  if (!pathMatches(match, pathWithoutQuery(input.path))) return false;
  if (!(match.headers ?? []).every((h) => headerMatches(h, input.headers))) return false;
  const params = queryParameters(input.path);
  if (!(match.query_parameters ?? []).every((q) => queryParameterMatches(q, params))) return false;
  if (match.grpc) {
    const contentType = input.headers.get('content-type')?.[0] ?? '';
    if (!contentType.startsWith('application/grpc')) return false;
  }
  if (
    match.runtime_fraction?.default_value &&
    !fractionHits(match.runtime_fraction.default_value, input.random)
  )
    return false;
  return true;
}
