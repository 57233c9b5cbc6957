// Checks a regex kxds is about to send to Envoy the way Envoy will: compiled by RE2 (re2js, a port of RE2)
// and held to Envoy's default program-size limit. JavaScript's RegExp is no stand-in: it accepts `\Z`,
// `x{1001}`, lookaround and backreferences, which Envoy rejects, and refuses `(?i)` and `(?P<name>...)`,
// which Envoy takes. One bad regex in the shared route configuration would make Envoy reject all of it.
import { RE2JS } from 're2js';

/**
 * Envoy refuses a regex whose RE2 program is larger than this (runtime key re2.max_program_size.error_level,
 * default 100). re2js counts instructions as Go's regexp/syntax does, which tracks C++ RE2's ProgramSize
 * closely for the literals, classes and repeats users write, so the same limit is applied here.
 */
export const ENVOY_MAX_PROGRAM_SIZE = 100;

/** Why Envoy would refuse `pattern`, or undefined when it takes it. */
export function re2Problem(pattern: string): string | undefined {
  let size: number;
  try {
    size = RE2JS.compile(pattern).programSize();
  } catch (err) {
    // re2js messages read "error parsing regexp: invalid escape sequence: `\Z`".
    const message = err instanceof Error ? err.message : String(err);
    return `is not valid RE2 (${message.replace(/^error parsing regexp: /, '')})`;
  }
  if (size > ENVOY_MAX_PROGRAM_SIZE) {
    return `compiles to an RE2 program of size ${size}, over Envoy's limit of ${ENVOY_MAX_PROGRAM_SIZE}`;
  }
  return undefined;
}

/** Does RE2 match the whole of `text`, as Envoy's safe_regex matchers do? (Tests and checks; not the hot path.) */
export function re2FullMatch(pattern: string, text: string): boolean {
  return RE2JS.compile(pattern).matches(text);
}
