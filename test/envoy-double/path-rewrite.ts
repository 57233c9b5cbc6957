// Envoy's path rewrites, shared by RouteAction and RedirectAction: prefix_rewrite replaces the part of the
// path the route matched (the prefix, the whole exact path, or the whole path for a regex route) and
// regex_rewrite substitutes every match in the path (RE2 GlobalReplace, "\N" groups). The query is kept.
import { RE2JS } from 're2js';
import type { RouteMatch } from '../../src/generated/envoy/config/route/v3/RouteMatch';
import type { RegexMatchAndSubstitute } from '../../src/generated/envoy/type/matcher/v3/RegexMatchAndSubstitute';
import { pathWithoutQuery } from './route-match';

function splitQuery(path: string): { bare: string; query: string } {
  const bare = pathWithoutQuery(path);
  return { bare, query: path.slice(bare.length) };
}

/** How many leading characters of the path the route's specifier matched. */
function matchedLength(match: RouteMatch, bare: string): number {
  if (match.prefix !== undefined) return match.prefix.length;
  if (match.path_separated_prefix !== undefined) return match.path_separated_prefix.length;
  if (match.path !== undefined) return match.path.length;
  return bare.length;
}

export function prefixRewrite(path: string, match: RouteMatch, replacement: string): string {
  const { bare, query } = splitQuery(path);
  return replacement + bare.slice(matchedLength(match, bare)) + query;
}

/** RE2's rewrite string: "\0".."\9" are groups, "\\" a backslash. */
function substitute(template: string, group: (n: number) => string): string {
  return template.replace(/\\(\\|[0-9])/g, (_all, what: string) =>
    what === '\\' ? '\\' : group(Number(what)),
  );
}

export function regexRewrite(path: string, rewrite: RegexMatchAndSubstitute): string {
  const { bare, query } = splitQuery(path);
  const matcher = RE2JS.compile(String(rewrite.pattern?.regex ?? '')).matcher(bare);
  const template = String(rewrite.substitution ?? '');
  let out = '';
  let copied = 0;
  let from = 0;
  while (from <= bare.length && matcher.find(from)) {
    out += bare.slice(copied, matcher.start()) + substitute(template, (n) => matcher.group(n) ?? '');
    copied = matcher.end();
    // An empty match moves one character on, as GlobalReplace does.
    from = matcher.end() === matcher.start() ? matcher.end() + 1 : matcher.end();
  }
  return out + bare.slice(copied) + query;
}
