// HTTPRouteMatch -> IR route match. Path Exact, PathPrefix (element-wise, a trailing "/" ignored) or
// RegularExpression (RE2 on the whole path); headers Exact or RegularExpression (names case-insensitive,
// the first of equal names counts); query parameters likewise (names case-sensitive); the method as the
// :method pseudo-header. No path means PathPrefix "/"; no match at all means one match on PathPrefix "/".
import type { IrHeaderMatch, IrPathMatch, IrRouteMatch } from '../../../ir/http';
import { re2Problem } from '../../../xds/re2';
import type { HTTPRouteMatch } from './spec';

export type MatchResult = { ok: true; match: IrRouteMatch; method?: string } | { ok: false; message: string };

export const MATCH_EVERYTHING: IrRouteMatch = { path: { kind: 'prefix', path: '/' }, headers: [] };

/** A rule's matches; an empty list matches every request. */
export function ruleMatches(matches: readonly HTTPRouteMatch[] | undefined): HTTPRouteMatch[] {
  return matches && matches.length > 0 ? [...matches] : [{}];
}

export function httpRouteMatch(match: HTTPRouteMatch): MatchResult {
  const path = pathMatch(match.path?.type ?? 'PathPrefix', match.path?.value ?? '/');
  if (typeof path === 'string') return { ok: false, message: path };
  const headers = valueMatches('header', match.headers ?? [], (name) => name.toLowerCase());
  if (typeof headers === 'string') return { ok: false, message: headers };
  const query = valueMatches('query parameter', match.queryParams ?? [], (name) => name);
  if (typeof query === 'string') return { ok: false, message: query };
  const method = match.method;
  const all: IrHeaderMatch[] = method ? [{ name: ':method', exact: method }, ...headers] : headers;
  return {
    ok: true,
    match: { path, headers: all, ...(query.length > 0 ? { queryParams: query } : {}) },
    ...(method ? { method } : {}),
  };
}

/** The IR path match, or why it can't be one. */
export function pathMatch(type: string, value: string): IrPathMatch | string {
  switch (type) {
    case 'Exact':
      return { kind: 'exact', path: value };
    case 'PathPrefix': {
      const trimmed = value.replace(/\/+$/, '');
      return { kind: 'prefix', path: trimmed === '' ? '/' : trimmed };
    }
    case 'RegularExpression': {
      const problem = re2Problem(value);
      return problem ? `path regex "${value}" ${problem}` : { kind: 'regex', regex: value };
    }
    default:
      return `path match type "${type}" is not supported`;
  }
}

interface ValueMatch {
  name: string;
  type?: string;
  value: string;
}

/** Header or query matches; the first of several equal names is the one that counts (the spec's rule). */
export function valueMatches(
  what: string,
  matches: readonly ValueMatch[],
  normalize: (name: string) => string,
): IrHeaderMatch[] | string {
  const seen = new Set<string>();
  const out: IrHeaderMatch[] = [];
  for (const m of matches) {
    const name = normalize(m.name);
    if (seen.has(name)) continue;
    seen.add(name);
    const type = m.type ?? 'Exact';
    if (type === 'Exact') out.push({ name, exact: m.value });
    else if (type === 'RegularExpression') {
      const problem = re2Problem(m.value);
      if (problem) return `${what} ${m.name} regex "${m.value}" ${problem}`;
      out.push({ name, regex: m.value });
    } else return `${what} match type "${type}" is not supported`;
  }
  return out;
}
