// The protoc-gen-validate rules for single values: strings, bytes, numbers, bools, enums, Durations and
// Timestamps. Each check takes the rule object as parsed from the descriptor (`(validate.rules).string` etc.)
// and an already canonical value, and returns messages like `min_len 1, got 0`; the walker adds the path.
import * as protobuf from 'protobufjs';
import {
  isEmail,
  isHostname,
  isIpAddress,
  isIpv4,
  isIpv6,
  isUri,
  isUriRef,
  isUuid,
  matchesWellKnownRegex,
  re2Pattern,
} from './validate-formats';
import { enumName, isDefinedEnumValue, shown } from './proto-values';

/** One rule message as parsed by protobufjs from the option text, e.g. `{ min_len: 1 }`. */
export type RuleSet = Readonly<Record<string, unknown>>;

/** The sub-message of a rule set, if present. */
export function subRules(rules: RuleSet | undefined, key: string): RuleSet | undefined {
  const value = rules?.[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as RuleSet)
    : undefined;
}

/** A repeated rule value; the option parser gives a bare value when the list has one element. */
export function ruleList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function ruleInt(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * const, lt, lte, gt, gte, in and not_in over any ordered value. When the upper bound is not above the lower
 * one the range is exclusive (value must lie outside it), as protoc-gen-validate defines.
 */
export function checkOrdered<T extends number | bigint>(
  rules: RuleSet,
  value: T,
  parse: (rule: unknown) => T | undefined,
  show: (v: T) => string,
): string[] {
  const errors: string[] = [];
  const got = `got ${show(value)}`;
  const constant = parse(rules.const);
  if (constant !== undefined && value !== constant) errors.push(`const ${show(constant)}, ${got}`);
  const lt = parse(rules.lt);
  const lte = parse(rules.lte);
  const gt = parse(rules.gt);
  const gte = parse(rules.gte);
  const upper = lt !== undefined ? { name: 'lt', bound: lt, ok: value < lt } : undefined;
  const upperOrEqual = lte !== undefined ? { name: 'lte', bound: lte, ok: value <= lte } : undefined;
  const lower = gt !== undefined ? { name: 'gt', bound: gt, ok: value > gt } : undefined;
  const lowerOrEqual = gte !== undefined ? { name: 'gte', bound: gte, ok: value >= gte } : undefined;
  const top = upper ?? upperOrEqual;
  const bottom = lower ?? lowerOrEqual;
  if (top && bottom && top.bound <= bottom.bound) {
    if (!top.ok && !bottom.ok)
      errors.push(
        `${bottom.name} ${show(bottom.bound)} or ${top.name} ${show(top.bound)} (exclusive range), ${got}`,
      );
  } else {
    if (bottom && !bottom.ok) errors.push(`${bottom.name} ${show(bottom.bound)}, ${got}`);
    if (top && !top.ok) errors.push(`${top.name} ${show(top.bound)}, ${got}`);
  }
  const allowed = ruleList(rules.in)
    .map(parse)
    .filter((v): v is T => v !== undefined);
  if (allowed.length > 0 && !allowed.includes(value))
    errors.push(`in [${allowed.map(show).join(', ')}], ${got}`);
  const refused = ruleList(rules.not_in)
    .map(parse)
    .filter((v): v is T => v !== undefined);
  if (refused.includes(value)) errors.push(`not_in [${refused.map(show).join(', ')}], ${got}`);
  return errors;
}

/** Numeric rules (int32 ... double) on an integer (bigint) or floating point (number) value. */
export function checkNumber(rules: RuleSet, value: number | bigint): string[] {
  if (rules.ignore_empty === true && (value === 0 || value === 0n)) return [];
  if (typeof value === 'bigint') {
    const parse = (rule: unknown): bigint | undefined => {
      if (typeof rule === 'number' && Number.isInteger(rule)) return BigInt(rule);
      if (typeof rule === 'string' && /^-?\d+$/.test(rule)) return BigInt(rule);
      return undefined;
    };
    return checkOrdered(rules, value, parse, String);
  }
  const parse = (rule: unknown): number | undefined =>
    typeof rule === 'number' ? rule : typeof rule === 'string' ? Number(rule) : undefined;
  return checkOrdered(rules, value, parse, String);
}

export function checkBool(rules: RuleSet, value: boolean): string[] {
  return typeof rules.const === 'boolean' && rules.const !== value
    ? [`const ${String(rules.const)}, got ${String(value)}`]
    : [];
}

const codePoints = (text: string): number => [...text].length;

function checkWellKnownString(rules: RuleSet, text: string): string[] {
  const formats: [string, (t: string) => boolean][] = [
    ['email', isEmail],
    ['hostname', isHostname],
    ['ip', isIpAddress],
    ['ipv4', isIpv4],
    ['ipv6', isIpv6],
    ['uri', isUri],
    ['uri_ref', isUriRef],
    ['address', (t) => isIpAddress(t) || isHostname(t)],
    ['uuid', isUuid],
  ];
  const errors: string[] = [];
  for (const [name, test] of formats)
    if (rules[name] === true && !test(text)) errors.push(`${name}, got ${shown(text)}`);
  if (typeof rules.well_known_regex === 'string') {
    const strict = rules.strict !== false;
    if (!matchesWellKnownRegex(rules.well_known_regex, strict, text))
      errors.push(
        `well_known_regex ${rules.well_known_regex}${strict ? '' : ' (strict: false)'}, got ${shown(text)}`,
      );
  }
  return errors;
}

function checkPattern(pattern: unknown, text: string): string[] {
  if (typeof pattern !== 'string') return [];
  const regex = re2Pattern(pattern);
  if (regex instanceof Error) return [`pattern ${shown(pattern)} can't be checked here: ${regex.message}`];
  return regex.test(text) ? [] : [`pattern ${shown(pattern)}, got ${shown(text)}`];
}

export function checkString(rules: RuleSet, text: string): string[] {
  if (rules.ignore_empty === true && text === '') return [];
  const errors: string[] = [];
  const got = `got ${shown(text)}`;
  if (typeof rules.const === 'string' && text !== rules.const)
    errors.push(`const ${shown(rules.const)}, ${got}`);
  const chars = codePoints(text);
  const bytes = Buffer.byteLength(text);
  const lengths: [string, number, (limit: number) => boolean][] = [
    ['len', chars, (limit) => chars === limit],
    ['min_len', chars, (limit) => chars >= limit],
    ['max_len', chars, (limit) => chars <= limit],
    ['len_bytes', bytes, (limit) => bytes === limit],
    ['min_bytes', bytes, (limit) => bytes >= limit],
    ['max_bytes', bytes, (limit) => bytes <= limit],
  ];
  for (const [name, actual, fits] of lengths) {
    const limit = ruleInt(rules[name]);
    if (limit !== undefined && !fits(limit)) errors.push(`${name} ${limit}, got ${actual}`);
  }
  errors.push(...checkPattern(rules.pattern, text));
  if (typeof rules.prefix === 'string' && !text.startsWith(rules.prefix))
    errors.push(`prefix ${shown(rules.prefix)}, ${got}`);
  if (typeof rules.suffix === 'string' && !text.endsWith(rules.suffix))
    errors.push(`suffix ${shown(rules.suffix)}, ${got}`);
  if (typeof rules.contains === 'string' && !text.includes(rules.contains))
    errors.push(`contains ${shown(rules.contains)}, ${got}`);
  if (typeof rules.not_contains === 'string' && text.includes(rules.not_contains))
    errors.push(`not_contains ${shown(rules.not_contains)}, ${got}`);
  const allowed = ruleList(rules.in).map(String);
  if (allowed.length > 0 && !allowed.includes(text)) errors.push(`in ${shown(allowed)}, ${got}`);
  const refused = ruleList(rules.not_in).map(String);
  if (refused.includes(text)) errors.push(`not_in ${shown(refused)}, ${got}`);
  errors.push(...checkWellKnownString(rules, text));
  return errors;
}

// Byte rule values come from the option text as strings; their escapes were already resolved to chars.
const ruleBytes = (rule: string): Buffer => Buffer.from(rule, 'latin1');

export function checkBytes(rules: RuleSet, bytes: Buffer): string[] {
  if (rules.ignore_empty === true && bytes.length === 0) return [];
  const errors: string[] = [];
  const got = `got <${bytes.length} bytes>`;
  if (typeof rules.const === 'string' && !bytes.equals(ruleBytes(rules.const))) errors.push(`const, ${got}`);
  const lengths: [string, (limit: number) => boolean][] = [
    ['len', (limit) => bytes.length === limit],
    ['min_len', (limit) => bytes.length >= limit],
    ['max_len', (limit) => bytes.length <= limit],
  ];
  for (const [name, fits] of lengths) {
    const limit = ruleInt(rules[name]);
    if (limit !== undefined && !fits(limit)) errors.push(`${name} ${limit}, got ${bytes.length}`);
  }
  errors.push(...checkPattern(rules.pattern, bytes.toString('latin1')));
  if (
    typeof rules.prefix === 'string' &&
    !bytes.subarray(0, rules.prefix.length).equals(ruleBytes(rules.prefix))
  )
    errors.push(`prefix, ${got}`);
  if (
    typeof rules.suffix === 'string' &&
    !bytes.subarray(bytes.length - rules.suffix.length).equals(ruleBytes(rules.suffix))
  )
    errors.push(`suffix, ${got}`);
  if (typeof rules.contains === 'string' && !bytes.includes(ruleBytes(rules.contains)))
    errors.push(`contains, ${got}`);
  const allowed = ruleList(rules.in).map((v) => ruleBytes(String(v)));
  if (allowed.length > 0 && !allowed.some((v) => v.equals(bytes))) errors.push(`in, ${got}`);
  if (ruleList(rules.not_in).some((v) => ruleBytes(String(v)).equals(bytes))) errors.push(`not_in, ${got}`);
  if (rules.ip === true && bytes.length !== 4 && bytes.length !== 16)
    errors.push(`ip (4 or 16 bytes), ${got}`);
  if (rules.ipv4 === true && bytes.length !== 4) errors.push(`ipv4 (4 bytes), ${got}`);
  if (rules.ipv6 === true && bytes.length !== 16) errors.push(`ipv6 (16 bytes), ${got}`);
  return errors;
}

/** Enum rules; defined-ness itself is checked by the walker for every enum, with or without defined_only. */
export function checkEnum(rules: RuleSet, enumType: protobuf.Enum, value: number): string[] {
  const errors: string[] = [];
  const show = (n: number): string => enumName(enumType, n);
  const got = `got ${show(value)}`;
  if (typeof rules.const === 'number' && value !== rules.const)
    errors.push(`const ${show(rules.const)}, ${got}`);
  if (rules.defined_only === true && !isDefinedEnumValue(enumType, value))
    errors.push(`defined_only, ${got}`);
  const allowed = ruleList(rules.in).filter((v): v is number => typeof v === 'number');
  if (allowed.length > 0 && !allowed.includes(value))
    errors.push(`in [${allowed.map(show).join(', ')}], ${got}`);
  const refused = ruleList(rules.not_in).filter((v): v is number => typeof v === 'number');
  if (refused.includes(value)) errors.push(`not_in [${refused.map(show).join(', ')}], ${got}`);
  return errors;
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** A Duration or Timestamp given as `{seconds, nanos}` (both optional) in total nanoseconds. */
export function secondsAndNanos(value: RuleSet): bigint | undefined {
  const seconds = value.seconds ?? 0;
  const nanos = value.nanos ?? 0;
  if (typeof nanos !== 'number' || !Number.isInteger(nanos)) return undefined;
  let wholeSeconds: bigint;
  if (typeof seconds === 'number' && Number.isInteger(seconds)) wholeSeconds = BigInt(seconds);
  else if (typeof seconds === 'string' && /^-?\d+$/.test(seconds)) wholeSeconds = BigInt(seconds);
  else return undefined;
  return wholeSeconds * NANOS_PER_SECOND + BigInt(nanos);
}

function parseTimeRule(rule: unknown): bigint | undefined {
  return rule !== null && typeof rule === 'object' && !Array.isArray(rule)
    ? secondsAndNanos(rule as RuleSet)
    : undefined;
}

/** Prints nanoseconds as `1.5s` / `-0.000001s`, the way Durations are written in Envoy's JSON. */
export function showDuration(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  const fraction = (magnitude % NANOS_PER_SECOND).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${magnitude / NANOS_PER_SECOND}${fraction ? `.${fraction}` : ''}s`;
}

export function checkDuration(rules: RuleSet, nanos: bigint): string[] {
  return checkOrdered(rules, nanos, parseTimeRule, showDuration);
}

const showTimestamp = (nanos: bigint): string => new Date(Number(nanos / 1_000_000n)).toISOString();

export function checkTimestamp(rules: RuleSet, nanos: bigint, nowMillis: number): string[] {
  const errors = checkOrdered(rules, nanos, parseTimeRule, showTimestamp);
  const now = BigInt(nowMillis) * 1_000_000n;
  if (rules.lt_now === true && !(nanos < now)) errors.push(`lt_now, got ${showTimestamp(nanos)}`);
  if (rules.gt_now === true && !(nanos > now)) errors.push(`gt_now, got ${showTimestamp(nanos)}`);
  const within = parseTimeRule(rules.within);
  if (within !== undefined && (nanos - now > within || now - nanos > within))
    errors.push(`within ${showDuration(within)} of now, got ${showTimestamp(nanos)}`);
  return errors;
}
