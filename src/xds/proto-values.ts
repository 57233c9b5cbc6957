// Reads leaf values of the plain objects kxds builds (and of decodeMessage's output) into canonical JS values:
// 64-bit integers as bigint, bytes as Buffer, enums as numbers. Both the validator and the round-trip checker
// accept the same loose input forms (numbers or strings for longs, names or numbers for enums), so the
// conversions live here once.
import * as protobuf from 'protobufjs';
import { envoyRoot } from './protos';

export type PlainObject = Record<string, unknown>;

/** A message-shaped value: an object that is neither a list nor bytes. */
export const isPlainObject = (value: unknown): value is PlainObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);

/** Set at all (encodeMessage skips undefined and null fields alike). */
export const present = (value: unknown): boolean => value !== undefined && value !== null;

/** Either the canonical value or the reason the input can't be one. */
export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = (reason: string): Read<never> => ({ ok: false, reason });

/** A short, printable rendering of an input value for messages. */
export function shown(value: unknown): string {
  if (typeof value === 'string') {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return `[${value.map(shown).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
  return String(value);
}

const INT32_TYPES = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32_TYPES = new Set(['uint32', 'fixed32']);
const INT64_TYPES = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64_TYPES = new Set(['uint64', 'fixed64']);
const FLOAT_TYPES = new Set(['double', 'float']);

export const isInt32Type = (type: string): boolean => INT32_TYPES.has(type) || UINT32_TYPES.has(type);
export const isInt64Type = (type: string): boolean => INT64_TYPES.has(type) || UINT64_TYPES.has(type);
export const isFloatType = (type: string): boolean => FLOAT_TYPES.has(type);

interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

function isLongLike(value: unknown): value is LongLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LongLike).low === 'number' &&
    typeof (value as LongLike).high === 'number'
  );
}

function longToBigInt(value: LongLike): bigint {
  const low = BigInt(value.low >>> 0);
  const high = BigInt(value.unsigned ? value.high >>> 0 : value.high);
  return (high << 32n) + low;
}

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;

/** An integer field's value (any width) as bigint, refusing fractions, out-of-range values and wrong JS types. */
export function readInteger(type: string, value: unknown): Read<bigint> {
  let big: bigint;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return bad(`expected an integer, got ${value}`);
    if (isInt64Type(type) && !Number.isSafeInteger(value))
      return bad(`${value} is beyond 2^53, give it as a string`);
    big = BigInt(value);
  } else if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'string' && isInt64Type(type) && /^-?\d+$/.test(value)) {
    big = BigInt(value);
  } else if (isLongLike(value) && isInt64Type(type)) {
    big = longToBigInt(value);
  } else {
    return bad(`expected an integer for ${type}, got ${typeof value} ${shown(value)}`);
  }
  const [min, max] = INT32_TYPES.has(type)
    ? [-(1n << 31n), (1n << 31n) - 1n]
    : UINT32_TYPES.has(type)
      ? [0n, (1n << 32n) - 1n]
      : INT64_TYPES.has(type)
        ? [MIN_INT64, MAX_INT64]
        : [0n, MAX_UINT64];
  if (big < min || big > max) return bad(`${big} is out of range for ${type}`);
  return ok(big);
}

/** A double/float field's value; decodeMessage writes NaN and the infinities as strings. */
export function readFloat(value: unknown): Read<number> {
  if (typeof value === 'number') return ok(value);
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return ok(Number(value));
  return bad(`expected a number, got ${typeof value} ${shown(value)}`);
}

/** A bytes field's value: a Buffer/Uint8Array, or base64 text as decodeMessage writes it. */
export function readBytes(value: unknown): Read<Buffer> {
  if (value instanceof Uint8Array) return ok(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  if (typeof value === 'string' && /^[A-Za-z0-9+/_-]*=*$/.test(value))
    return ok(Buffer.from(value, 'base64'));
  return bad(`expected bytes (a Buffer), got ${typeof value} ${shown(value)}`);
}

/** An enum field's value as its number: a value name, or a number (which may be undefined in the enum). */
export function readEnum(enumType: protobuf.Enum, value: unknown): Read<number> {
  if (typeof value === 'string') {
    const number = enumType.values[value];
    if (number === undefined) return bad(`${shown(value)} is not a value of ${enumType.fullName.slice(1)}`);
    return ok(number);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)
    return ok(value);
  return bad(`expected a ${enumType.fullName.slice(1)} value name, got ${typeof value} ${shown(value)}`);
}

/** Whether an enum number names a value of the enum. */
export function isDefinedEnumValue(enumType: protobuf.Enum, number: number): boolean {
  return enumType.valuesById[number] !== undefined;
}

/** The name of an enum number, or the number itself when it is not defined. */
export function enumName(enumType: protobuf.Enum, number: number): string {
  return enumType.valuesById[number] ?? String(number);
}

/** The message type of a field, if it has one. */
export function messageTypeOf(field: protobuf.Field): protobuf.Type | undefined {
  const resolved = field.resolve().resolvedType;
  return resolved instanceof protobuf.Type ? resolved : undefined;
}

/** The enum type of a field, if it has one. */
export function enumTypeOf(field: protobuf.Field): protobuf.Enum | undefined {
  const resolved = field.resolve().resolvedType;
  return resolved instanceof protobuf.Enum ? resolved : undefined;
}

/**
 * Whether the wire tells "set to the default" from "absent" for this field: message fields, oneof members and
 * proto3 `optional` fields do; plain proto3 scalars don't (protobufjs' own hasPresence gets message fields wrong).
 */
export function fieldHasPresence(field: protobuf.Field): boolean {
  if (field.repeated || field.map) return false;
  return (
    Boolean(field.partOf) || messageTypeOf(field) !== undefined || field.options?.proto3_optional === true
  );
}

/** The google.protobuf wrapper types (rules on a wrapper field apply to its `value`). */
export const WRAPPER_TYPES: ReadonlySet<string> = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (n) => `google.protobuf.${n}Value`,
  ),
);

const typesByName = new Map<string, protobuf.Type | undefined>();

/**
 * A message type of the Envoy root by full name (leading dot optional), or undefined when it isn't loaded.
 * Cached: every Any is looked up by its type_url, and a root lookup walks the namespace tree.
 */
export function findType(fullName: string): protobuf.Type | undefined {
  const name = fullName.replace(/^\./, '');
  if (typesByName.has(name)) return typesByName.get(name);
  let type: protobuf.Type | undefined;
  try {
    const found = envoyRoot().lookup(name);
    type = found instanceof protobuf.Type ? found : undefined;
  } catch {
    type = undefined;
  }
  // Unknown names are not remembered: a test may add types to the root later.
  if (type) typesByName.set(name, type);
  return type;
}
