// Stands in for `envoy --mode validate`: checks a plain Envoy object (as kxds builds it, or as decodeMessage
// returns it) against the protoc-gen-validate rules carried in the loaded descriptors, recursing into nested
// messages and into Any values (typed_config) by their type_url. Also reports what PGV alone would not but
// Envoy or kxds care about: unknown fields, wrong JS types, undefined enum values, several members of one
// oneof, Anys of unknown types, negative Durations. Deprecated fields and enum values come back as warnings,
// or as errors when Envoy disallows them by default.
import * as protobuf from 'protobufjs';
import { anyPath, entryPath, fieldPath, itemPath, printedPath } from './field-path';
import { typeNameOfUrl } from './protos';
import { re2Problem } from './re2';
import {
  enumName,
  findType,
  isDefinedEnumValue,
  isFloatType,
  isPlainObject,
  present,
  type PlainObject,
  readBytes,
  readEnum,
  readFloat,
  readInteger,
  shown,
  WRAPPER_TYPES,
} from './proto-values';
import {
  checkBool,
  checkBytes,
  checkDuration,
  checkEnum,
  checkNumber,
  checkString,
  checkTimestamp,
  ruleList,
  secondsAndNanos,
  showDuration,
  subRules,
  type RuleSet,
} from './validate-checks';
import { enumValueStatus, typePlan, type FieldPlan } from './validate-plan';

export type ValidationResult =
  { valid: true; warnings: string[] } | { valid: false; errors: string[]; warnings: string[] };

interface Walk {
  readonly errors: string[];
  readonly warnings: string[];
  readonly nowMillis: number;
}

function fail(walk: Walk, path: string, reason: string): void {
  walk.errors.push(`${printedPath(path)}: ${reason}`);
}

// Envoy itself (not PGV) refuses every Duration that is negative or beyond protobuf's range.
const MAX_DURATION_SECONDS = 315_576_000_000n;

function checkDurationValue(value: unknown, rules: RuleSet | undefined, path: string, walk: Walk): void {
  if (!isPlainObject(value))
    return fail(walk, path, `expected a Duration {seconds, nanos}, got ${shown(value)}`);
  const extra = Object.keys(value).filter((k) => k !== 'seconds' && k !== 'nanos' && present(value[k]));
  if (extra.length > 0) return fail(walk, path, `unknown field "${extra[0]}" in a Duration`);
  const nanos = secondsAndNanos(value);
  if (nanos === undefined)
    return fail(walk, path, `expected a Duration {seconds, nanos}, got ${shown(value)}`);
  const nanosPart = typeof value.nanos === 'number' ? value.nanos : 0;
  if (nanos < 0n || nanosPart < 0)
    fail(walk, path, `Envoy refuses negative durations, got ${showDuration(nanos)}`);
  else if (nanosPart > 999_999_999 || nanos / 1_000_000_000n > MAX_DURATION_SECONDS)
    fail(walk, path, `duration out of range, got ${shown(value)}`);
  const durationRules = subRules(rules, 'duration');
  if (durationRules) for (const e of checkDuration(durationRules, nanos)) fail(walk, path, e);
}

function checkTimestampValue(value: unknown, rules: RuleSet | undefined, path: string, walk: Walk): void {
  const nanos = isPlainObject(value) ? secondsAndNanos(value) : undefined;
  if (nanos === undefined)
    return fail(walk, path, `expected a Timestamp {seconds, nanos}, got ${shown(value)}`);
  const timestampRules = subRules(rules, 'timestamp');
  if (timestampRules)
    for (const e of checkTimestamp(timestampRules, nanos, walk.nowMillis)) fail(walk, path, e);
}

/** Checks a scalar (or map key) of a proto scalar type against the rules of that type. */
function checkScalar(
  protoType: string,
  value: unknown,
  rules: RuleSet | undefined,
  path: string,
  walk: Walk,
): void {
  const typed = subRules(rules, protoType);
  if (protoType === 'string') {
    if (typeof value !== 'string')
      return fail(walk, path, `expected a string, got ${typeof value} ${shown(value)}`);
    if (typed) for (const e of checkString(typed, value)) fail(walk, path, e);
  } else if (protoType === 'bool') {
    if (typeof value !== 'boolean')
      return fail(walk, path, `expected a boolean, got ${typeof value} ${shown(value)}`);
    if (typed) for (const e of checkBool(typed, value)) fail(walk, path, e);
  } else if (protoType === 'bytes') {
    const read = readBytes(value);
    if (!read.ok) return fail(walk, path, read.reason);
    if (typed) for (const e of checkBytes(typed, read.value)) fail(walk, path, e);
  } else if (isFloatType(protoType)) {
    const read = readFloat(value);
    if (!read.ok) return fail(walk, path, read.reason);
    if (typed) for (const e of checkNumber(typed, read.value)) fail(walk, path, e);
  } else {
    const read = readInteger(protoType, value);
    if (!read.ok) return fail(walk, path, read.reason);
    if (typed) for (const e of checkNumber(typed, read.value)) fail(walk, path, e);
  }
}

function checkEnumValue(
  enumType: protobuf.Enum,
  value: unknown,
  rules: RuleSet | undefined,
  path: string,
  walk: Walk,
): void {
  const read = readEnum(enumType, value);
  if (!read.ok) return fail(walk, path, read.reason);
  if (!isDefinedEnumValue(enumType, read.value))
    fail(walk, path, `${read.value} is not a defined value of ${enumType.fullName.slice(1)}`);
  else {
    const name = enumName(enumType, read.value);
    const status = enumValueStatus(enumType, name);
    if (status === 'disallowed') fail(walk, path, `deprecated value ${name}, disallowed by default in Envoy`);
    else if (status === 'deprecated') walk.warnings.push(`${printedPath(path)}: deprecated value ${name}`);
  }
  const enumRules = subRules(rules, 'enum');
  if (enumRules) for (const e of checkEnum(enumRules, enumType, read.value)) fail(walk, path, e);
}

function walkAny(value: unknown, rules: RuleSet | undefined, path: string, walk: Walk): void {
  if (!isPlainObject(value)) return fail(walk, path, `expected an Any, got ${shown(value)}`);
  // decodeMessage writes Anys as {"@type", ...fields}; kxds builds them with pack() as {type_url, value}.
  const decodedForm = typeof value['@type'] === 'string';
  const typeUrl = decodedForm ? value['@type'] : value.type_url;
  if (typeof typeUrl !== 'string' || typeUrl === '') return fail(walk, path, 'an Any needs a type_url');
  const anyRules = subRules(rules, 'any');
  const allowed = ruleList(anyRules?.in).map(String);
  if (allowed.length > 0 && !allowed.includes(typeUrl))
    fail(walk, path, `in ${shown(allowed)}, got ${shown(typeUrl)}`);
  const refused = ruleList(anyRules?.not_in).map(String);
  if (refused.includes(typeUrl)) fail(walk, path, `not_in ${shown(refused)}, got ${shown(typeUrl)}`);
  const typeName = typeNameOfUrl(typeUrl);
  const type = findType(typeName);
  if (!type) return fail(walk, path, `unknown Any type ${shown(typeUrl)} (Envoy would reject it)`);
  const innerPath = anyPath(path, typeName);
  if (decodedForm) {
    const { '@type': _typeUrl, ...fields } = value;
    return walkMessage(type, fields, innerPath, walk);
  }
  const extra = Object.keys(value).filter((k) => k !== 'type_url' && k !== 'value' && present(value[k]));
  if (extra.length > 0) fail(walk, path, `unknown field "${extra[0]}" in an Any`);
  const bytes = readBytes(value.value ?? Buffer.alloc(0));
  if (!bytes.ok) return fail(walk, fieldPath(path, 'value'), bytes.reason);
  let inner: PlainObject;
  try {
    inner = type.toObject(type.decode(bytes.value), { longs: String, enums: String, defaults: false });
  } catch (err) {
    return fail(
      walk,
      path,
      `bytes don't decode as ${typeName}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  walkMessage(type, inner, innerPath, walk);
}

/** A present value of a message-typed field: well-known types first, then the message's own fields. */
function checkMessageValue(
  type: protobuf.Type,
  value: unknown,
  rules: RuleSet | undefined,
  path: string,
  walk: Walk,
): void {
  // The plan's cached name: protobufjs rebuilds fullName from the parents on every read.
  const fullName = typePlan(type).fullName;
  if (WRAPPER_TYPES.has(fullName)) {
    if (!isPlainObject(value)) return fail(walk, path, `expected a wrapper {value}, got ${shown(value)}`);
    const extra = Object.keys(value).filter((k) => k !== 'value' && present(value[k]));
    if (extra.length > 0) return fail(walk, path, `unknown field "${extra[0]}" in a ${fullName}`);
    const wrapped = type.fields.value;
    if (!wrapped) return;
    const inner = present(value.value) ? value.value : wrapped.bytes ? Buffer.alloc(0) : wrapped.typeDefault;
    return checkScalar(wrapped.type, inner, rules, path, walk);
  }
  if (fullName === 'google.protobuf.Duration') return checkDurationValue(value, rules, path, walk);
  if (fullName === 'google.protobuf.Timestamp') return checkTimestampValue(value, rules, path, walk);
  if (fullName === 'google.protobuf.Any') return walkAny(value, rules, path, walk);
  if (subRules(rules, 'message')?.skip === true) return;
  walkMessage(type, value, path, walk);
  // Beyond PGV: Envoy compiles every RegexMatcher with RE2 and its program-size limit when it loads one.
  if (fullName === 'envoy.type.matcher.v3.RegexMatcher' && isPlainObject(value)) {
    const problem = typeof value.regex === 'string' ? re2Problem(value.regex) : undefined;
    if (problem) fail(walk, fieldPath(path, 'regex'), `${shown(value.regex)} ${problem}`);
  }
}

/** One element: a singular value, a list item or a map value. */
function checkElement(
  plan: FieldPlan,
  value: unknown,
  rules: RuleSet | undefined,
  path: string,
  walk: Walk,
): void {
  if (plan.messageType) checkMessageValue(plan.messageType, value, rules, path, walk);
  else if (plan.enumType) checkEnumValue(plan.enumType, value, rules, path, walk);
  else checkScalar(plan.protoType, value, rules, path, walk);
}

const REQUIRED_KINDS = ['message', 'duration', 'timestamp', 'any'];

function isRequired(rules: RuleSet | undefined): boolean {
  return REQUIRED_KINDS.some((kind) => subRules(rules, kind)?.required === true);
}

function defaultOf(plan: FieldPlan): unknown {
  if (plan.enumType) return 0;
  if (plan.protoType === 'string') return '';
  if (plan.protoType === 'bool') return false;
  if (plan.protoType === 'bytes') return Buffer.alloc(0);
  return 0;
}

// A proto3 scalar at its default is not on the wire, so Envoy never sees a deprecated field set that way.
function isSetForEnvoy(plan: FieldPlan, value: unknown): boolean {
  if (!present(value)) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (plan.mapKeyType !== undefined) return isPlainObject(value) && Object.keys(value).length > 0;
  if (plan.hasPresence) return true;
  if (value instanceof Uint8Array) return value.length > 0;
  if (plan.enumType) return value !== 0 && value !== plan.enumType.valuesById[0];
  return value !== '' && value !== 0 && value !== false && value !== '0';
}

function mapKey(keyType: string, key: string): unknown {
  if (keyType === 'string') return key;
  if (keyType === 'bool') return key === 'true' ? true : key === 'false' ? false : key;
  return /^-?\d+$/.test(key) ? BigInt(key) : key;
}

function walkMap(
  plan: FieldPlan,
  value: unknown,
  rules: RuleSet | undefined,
  path: string,
  walk: Walk,
): void {
  if (present(value) && !isPlainObject(value))
    return fail(walk, path, `expected a map object, got ${shown(value)}`);
  const entries = Object.entries(value ?? {});
  const mapRules = subRules(rules, 'map');
  if (mapRules && !(mapRules.ignore_empty === true && entries.length === 0)) {
    if (typeof mapRules.min_pairs === 'number' && entries.length < mapRules.min_pairs)
      fail(walk, path, `min_pairs ${mapRules.min_pairs}, got ${entries.length}`);
    if (typeof mapRules.max_pairs === 'number' && entries.length > mapRules.max_pairs)
      fail(walk, path, `max_pairs ${mapRules.max_pairs}, got ${entries.length}`);
  }
  const keyRules = subRules(mapRules, 'keys');
  const valueRules = subRules(mapRules, 'values');
  for (const [key, entry] of entries) {
    const entryAt = entryPath(path, key);
    checkScalar(
      plan.mapKeyType ?? 'string',
      mapKey(plan.mapKeyType ?? 'string', key),
      keyRules,
      entryAt,
      walk,
    );
    if (!present(entry)) {
      if (mapRules?.no_sparse === true) fail(walk, entryAt, 'no_sparse, got an empty value');
      continue;
    }
    checkElement(plan, entry, valueRules, entryAt, walk);
  }
}

function uniqueKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'undefined';
}

function walkList(
  plan: FieldPlan,
  value: unknown,
  rules: RuleSet | undefined,
  path: string,
  walk: Walk,
): void {
  if (present(value) && !Array.isArray(value))
    return fail(walk, path, `expected a list, got ${shown(value)}`);
  const items: unknown[] = Array.isArray(value) ? value : [];
  const listRules = subRules(rules, 'repeated');
  if (listRules && !(listRules.ignore_empty === true && items.length === 0)) {
    if (typeof listRules.min_items === 'number' && items.length < listRules.min_items)
      fail(walk, path, `min_items ${listRules.min_items}, got ${items.length}`);
    if (typeof listRules.max_items === 'number' && items.length > listRules.max_items)
      fail(walk, path, `max_items ${listRules.max_items}, got ${items.length}`);
    if (listRules.unique === true) {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const key = uniqueKey(item);
        if (seen.has(key)) fail(walk, itemPath(path, i), `unique, ${shown(item)} repeats an earlier item`);
        seen.add(key);
      });
    }
  }
  const itemRules = subRules(listRules, 'items');
  items.forEach((item, i) => {
    if (!present(item)) return fail(walk, itemPath(path, i), 'a list item is null');
    checkElement(plan, item, itemRules, itemPath(path, i), walk);
  });
}

function walkField(
  plan: FieldPlan,
  value: unknown,
  rules: RuleSet | undefined,
  path: string,
  walk: Walk,
): void {
  if (plan.deprecated && isSetForEnvoy(plan, value)) {
    if (plan.disallowedByDefault) fail(walk, path, 'deprecated field, disallowed by default in Envoy');
    else walk.warnings.push(`${path}: deprecated field`);
  }
  if (plan.mapKeyType !== undefined) return walkMap(plan, value, rules, path, walk);
  if (plan.repeated) return walkList(plan, value, rules, path, walk);
  if (!present(value)) {
    // PGV checks a oneof member only when it is the one set, even when its rules say required.
    if (plan.oneof !== undefined) return;
    if (plan.messageType) {
      if (isRequired(rules)) fail(walk, path, 'required, but not set');
      return;
    }
    // `optional` scalars are checked only when set; plain proto3 scalars always are, at their default.
    if (plan.hasPresence) return;
    return checkElement(plan, defaultOf(plan), rules, path, walk);
  }
  checkElement(plan, value, rules, path, walk);
}

function walkMessage(type: protobuf.Type, value: unknown, path: string, walk: Walk): void {
  const plan = typePlan(type);
  if (!isPlainObject(value))
    return fail(walk, path, `expected a ${plan.fullName} message, got ${shown(value)}`);
  for (const key of Object.keys(value)) {
    if (!plan.fieldsByName.has(key) && present(value[key]))
      fail(walk, fieldPath(path, key), `unknown field of ${plan.fullName}`);
  }
  for (const oneof of plan.oneofs) {
    const set = oneof.members.filter((name) => present(value[name]));
    if (set.length > 1)
      fail(walk, fieldPath(path, oneof.name), `more than one member of the oneof set: ${set.join(', ')}`);
    else if (set.length === 0 && oneof.required && !plan.rulesDisabled)
      fail(
        walk,
        fieldPath(path, oneof.name),
        `oneof required, none set (one of ${oneof.members.join(', ')})`,
      );
  }
  for (const field of plan.fields) {
    const rules = plan.rulesDisabled ? undefined : field.rules;
    // An absent field without rules can break nothing: skip it (most fields of a big message).
    if (rules === undefined && !present(value[field.name])) continue;
    walkField(field, value[field.name], rules, fieldPath(path, field.name), walk);
  }
}

/**
 * Validates a plain Envoy object of the named type (full name, or a type URL). Errors and warnings each name
 * the field path in proto field names, with `(Type)` after an Any field for the path inside it.
 */
export function validateMessage(typeName: string, value: object): ValidationResult {
  const walk: Walk = { errors: [], warnings: [], nowMillis: Date.now() };
  const fullName = typeNameOfUrl(typeName);
  const type = findType(fullName);
  if (!type) walk.errors.push(`<root>: unknown message type ${shown(fullName)}`);
  else walkMessage(type, value, '', walk);
  return walk.errors.length === 0
    ? { valid: true, warnings: walk.warnings }
    : { valid: false, errors: walk.errors, warnings: walk.warnings };
}
