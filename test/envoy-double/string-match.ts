// Envoy's matchers over strings, as the router applies them: StringMatcher (exact, prefix, suffix, contains,
// safe_regex, ignore_case), HeaderMatcher (present, invert, multiple values joined with ",") and
// QueryParameterMatcher. Regexes are RE2 (re2js), always matched against the whole value, as Envoy does.
import { RE2JS } from 're2js';
import type { HeaderMatcher } from '../../src/generated/envoy/config/route/v3/HeaderMatcher';
import type { QueryParameterMatcher } from '../../src/generated/envoy/config/route/v3/QueryParameterMatcher';
import type { StringMatcher } from '../../src/generated/envoy/type/matcher/v3/StringMatcher';

/** A full-string RE2 match; `ignoreCase` adds RE2's case-insensitive flag. */
export function re2FullMatch(regex: string, value: string, ignoreCase = false): boolean {
  return RE2JS.compile(regex, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0).matches(value);
}

export function stringMatches(matcher: StringMatcher, value: string): boolean {
  const fold = (s: string): string => (matcher.ignore_case ? s.toLowerCase() : s);
  if (matcher.exact !== undefined) return fold(value) === fold(matcher.exact);
  if (matcher.prefix !== undefined) return fold(value).startsWith(fold(matcher.prefix));
  if (matcher.suffix !== undefined) return fold(value).endsWith(fold(matcher.suffix));
  if (matcher.contains !== undefined) return fold(value).includes(fold(matcher.contains));
  // Envoy ignores ignore_case for safe_regex (the regex carries its own (?i)).
  if (matcher.safe_regex?.regex !== undefined) return re2FullMatch(matcher.safe_regex.regex, value);
  throw new Error(`envoy-double: StringMatcher without a pattern it implements: ${JSON.stringify(matcher)}`);
}

/** The request's headers as the router sees them: lowercase names, pseudo-headers included. */
export type RequestHeaders = ReadonlyMap<string, readonly string[]>;

export function headerMatches(matcher: HeaderMatcher, headers: RequestHeaders): boolean {
  const values = headers.get(String(matcher.name).toLowerCase());
  const joined = values && values.length > 0 ? values.join(',') : undefined;
  const value = joined ?? (matcher.treat_missing_header_as_empty ? '' : undefined);
  let matched: boolean;
  if (matcher.present_match !== undefined) matched = (joined !== undefined) === matcher.present_match;
  else if (value === undefined) matched = false;
  else matched = headerValueMatches(matcher, value);
  // invert_match never turns a missing header into a match for a value matcher (Envoy's rule), but does
  // for present_match (present_match: true + invert matches when the header is absent).
  if (matcher.invert_match)
    return value === undefined && matcher.present_match === undefined ? false : !matched;
  return matched;
}

function headerValueMatches(matcher: HeaderMatcher, value: string): boolean {
  if (matcher.string_match) return stringMatches(matcher.string_match, value);
  if (matcher.exact_match !== undefined) return value === matcher.exact_match;
  if (matcher.prefix_match !== undefined) return value.startsWith(matcher.prefix_match);
  if (matcher.suffix_match !== undefined) return value.endsWith(matcher.suffix_match);
  if (matcher.contains_match !== undefined) return value.includes(matcher.contains_match);
  if (matcher.safe_regex_match?.regex !== undefined)
    return re2FullMatch(matcher.safe_regex_match.regex, value);
  // A matcher with nothing but a name matches when the header is present.
  return true;
}

/** Query parameters of a path, first value per name kept in order (Envoy matches the first). */
export function queryParameters(path: string): Map<string, string> {
  const q = path.indexOf('?');
  const params = new Map<string, string>();
  if (q < 0) return params;
  for (const [key, value] of new URLSearchParams(path.slice(q + 1).split('#')[0])) {
    if (!params.has(key)) params.set(key, value);
  }
  return params;
}

export function queryParameterMatches(matcher: QueryParameterMatcher, params: Map<string, string>): boolean {
  const value = params.get(String(matcher.name));
  if (matcher.present_match !== undefined) return (value !== undefined) === matcher.present_match;
  if (value === undefined) return false;
  return matcher.string_match ? stringMatches(matcher.string_match, value) : true;
}
