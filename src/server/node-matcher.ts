// Envoy's NodeMatcher (envoy.type.matcher.v3) evaluated against a connected node, for CSDS requests:
// node_id by StringMatcher, node_metadatas by StructMatcher on string values (kxds.io/role and friends).
import type { NodeMatcher } from '../generated/envoy/type/matcher/v3/NodeMatcher';
import type { StringMatcher } from '../generated/envoy/type/matcher/v3/StringMatcher';
import { RE2JS } from 're2js';

export interface MatchableNode {
  id: string;
  metadata: Readonly<Record<string, unknown>>;
}

export function matchString(matcher: StringMatcher, value: string): boolean {
  const fold = (s: string) => (matcher.ignore_case ? s.toLowerCase() : s);
  const v = fold(value);
  if (matcher.exact !== undefined) return v === fold(matcher.exact);
  if (matcher.prefix !== undefined) return v.startsWith(fold(matcher.prefix));
  if (matcher.suffix !== undefined) return v.endsWith(fold(matcher.suffix));
  if (matcher.contains !== undefined) return v.includes(fold(matcher.contains));
  if (matcher.safe_regex?.regex !== undefined) {
    // RE2, as Envoy matches it: a CSDS client's `(?i)` or `(?P<n>...)` works, `\Z` or lookaround is refused.
    try {
      // Envoy: ignore_case "has no effect for the safe_regex match" (a regex says (?i) itself).
      return RE2JS.compile(matcher.safe_regex.regex).matches(value);
    } catch {
      return false;
    }
  }
  return true; // an empty matcher matches anything
}

function metadataValue(metadata: Readonly<Record<string, unknown>>, path: string[]): unknown {
  let value: unknown = metadata;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** One matcher: node_id (when set) and every node_metadatas entry must match. */
export function matchNode(matcher: NodeMatcher, node: MatchableNode): boolean {
  if (matcher.node_id && !matchString(matcher.node_id, node.id)) return false;
  for (const struct of matcher.node_metadatas ?? []) {
    const path = (struct.path ?? []).map((segment) => segment.key ?? '');
    const value = metadataValue(node.metadata, path);
    const expected = struct.value;
    if (expected?.string_match) {
      if (typeof value !== 'string' || !matchString(expected.string_match, value)) return false;
    } else if (expected?.present_match !== undefined) {
      if ((value !== undefined) !== expected.present_match) return false;
    } else if (value === undefined) return false;
  }
  return true;
}

/** CSDS semantics: no matchers selects every node; several matchers are OR-ed. */
export function matchAny(matchers: readonly NodeMatcher[], node: MatchableNode): boolean {
  return matchers.length === 0 || matchers.some((m) => matchNode(m, node));
}
