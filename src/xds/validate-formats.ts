// The well-known string formats of protoc-gen-validate (hostname, ip, address, email, uri, uuid, HTTP header
// regexes) and the translation of its RE2 `pattern` rules to JavaScript regular expressions.
import { isIP } from 'node:net';

/** PGV's hostname rule: at most 253 chars, dot-separated labels of 1-63 letters, digits or inner hyphens. */
export function isHostname(text: string): boolean {
  const host = text.endsWith('.') ? text.slice(0, -1) : text;
  if (host.length === 0 || host.length > 253) return false;
  return host
    .toLowerCase()
    .split('.')
    .every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

export const isIpv4 = (text: string): boolean => isIP(text) === 4;
export const isIpv6 = (text: string): boolean => isIP(text) === 6;
export const isIpAddress = (text: string): boolean => isIP(text) !== 0;

/** PGV's email rule: one address (optionally `Name <addr>`), local part at most 64 bytes, hostname domain. */
export function isEmail(text: string): boolean {
  const bracketed = /<([^<>]+)>\s*$/.exec(text);
  const address = bracketed?.[1] ?? text;
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  return Buffer.byteLength(local) <= 64 && !/[\s@]/.test(local) && isHostname(address.slice(at + 1));
}

/** An absolute URI: a scheme and whatever the WHATWG parser accepts after it. */
export function isUri(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) && URL.canParse(text);
}

/** A URI or a relative reference. */
export function isUriRef(text: string): boolean {
  return !/\s/.test(text) && URL.canParse(text, 'http://base.invalid/');
}

export function isUuid(text: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(text);
}

// The expressions PGV generates for well_known_regex; `strict: false` only forbids NUL, CR and LF.
// Control characters are exactly what these expressions are about, hence the lint exceptions.
const HTTP_HEADER_NAME_STRICT = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
// eslint-disable-next-line no-control-regex
const HTTP_HEADER_VALUE_STRICT = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
// eslint-disable-next-line no-control-regex
const HTTP_HEADER_LOOSE = /^[^\u0000\u000A\u000D]*$/;

/** Checks one of PGV's well-known regexes; unknown names pass (PGV ignores them too). */
export function matchesWellKnownRegex(name: string, strict: boolean, text: string): boolean {
  if (name === 'HTTP_HEADER_NAME') return (strict ? HTTP_HEADER_NAME_STRICT : HTTP_HEADER_LOOSE).test(text);
  if (name === 'HTTP_HEADER_VALUE') return (strict ? HTTP_HEADER_VALUE_STRICT : HTTP_HEADER_LOOSE).test(text);
  return true;
}

const compiledPatterns = new Map<string, RegExp | Error>();

/**
 * Compiles an RE2 pattern as a JavaScript RegExp (cached). The common RE2-only syntax is rewritten: leading
 * `(?i)`/`(?s)`/`(?m)` flags, `(?P<name>`, `\A` and `\z`. Returns an Error when JavaScript can't compile it.
 */
export function re2Pattern(pattern: string): RegExp | Error {
  const cached = compiledPatterns.get(pattern);
  if (cached) return cached;
  let source = pattern;
  let flags = 'u';
  const leadingFlags = /^\(\?([ims]+)\)/.exec(source);
  if (leadingFlags?.[1]) {
    flags += leadingFlags[1];
    source = source.slice(leadingFlags[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])');
  let compiled: RegExp | Error;
  try {
    compiled = new RegExp(source, flags);
  } catch {
    try {
      compiled = new RegExp(source, flags.replace('u', ''));
    } catch (err) {
      compiled = err instanceof Error ? err : new Error(String(err));
    }
  }
  compiledPatterns.set(pattern, compiled);
  return compiled;
}
