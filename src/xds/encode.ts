// Strict protobuf encoding for typed Envoy objects. protobufjs' fromObject silently drops unknown keys, so
// every object is first walked against its descriptor: an unknown field is an error naming its path, and map
// keys are sorted so the same input always gives the same bytes (versions are hashes of those bytes).
import { createHash } from 'node:crypto';
import * as protobuf from 'protobufjs';
import { lookupType, typeNameOfUrl, typeUrlOf } from './protos';
import type { EnvoyTypeName, EnvoyTypes } from './types';

export class EncodeError extends Error {
  constructor(
    readonly typeName: string,
    readonly fieldPath: string,
    reason: string,
  ) {
    super(`${typeName}${fieldPath ? ` at ${fieldPath}` : ''}: ${reason}`);
    this.name = 'EncodeError';
  }
}

/** A google.protobuf.Any already holding encoded bytes. */
export interface PackedAny {
  type_url: string;
  value: Buffer;
}

/**
 * Where the walk is, as a stack of segments ("listeners", "[0]", ".name"); joined only when an error is
 * raised, since building a path string for every field of every resource was a measurable share of encoding.
 */
type PathStack = string[];

const pathOf = (stack: PathStack): string => stack.join('').replace(/^\./, '');

/** google.protobuf.Any (compared by identity: fullName is recomputed on every access in protobufjs). */
const anyTypes = new WeakSet<protobuf.Type>();
const notAnyTypes = new WeakSet<protobuf.Type>();

function isAny(type: protobuf.Type): boolean {
  if (anyTypes.has(type)) return true;
  if (notAnyTypes.has(type)) return false;
  const any = type.fullName === '.google.protobuf.Any';
  (any ? anyTypes : notAnyTypes).add(type);
  return any;
}

function checkedCopy(
  type: protobuf.Type,
  value: unknown,
  path: PathStack,
  root: string,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EncodeError(root, pathOf(path), `expected a ${type.fullName.slice(1)} object`);
  }
  if (isAny(type)) {
    const any = value as Partial<PackedAny>;
    if (typeof any.type_url !== 'string' || !(any.value instanceof Uint8Array)) {
      throw new EncodeError(root, pathOf(path), 'an Any must be built with pack()');
    }
    return { type_url: any.type_url, value: any.value };
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const fieldValue = (value as Record<string, unknown>)[key];
    if (fieldValue === undefined || fieldValue === null) continue;
    const field = type.fields[key];
    if (!field) throw new EncodeError(root, pathOf(path), `unknown field "${key}"`);
    path.push(`.${key}`);
    out[key] = checkedField(field, fieldValue, path, root);
    path.pop();
  }
  return out;
}

function checkedField(field: protobuf.Field, value: unknown, path: PathStack, root: string): unknown {
  const resolved = field.resolvedType ?? field.resolve().resolvedType;
  const one = (v: unknown): unknown => {
    if (resolved instanceof protobuf.Type) return checkedCopy(resolved, v, path, root);
    if (resolved instanceof protobuf.Enum) return enumNumber(resolved, v, path, root);
    return scalar(field.type, v);
  };
  if (field instanceof protobuf.MapField) {
    if (typeof value !== 'object' || value === null)
      throw new EncodeError(root, pathOf(path), 'expected a map object');
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      path.push(`[${key}]`);
      sorted[key] = one((value as Record<string, unknown>)[key]);
      path.pop();
    }
    return sorted;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new EncodeError(root, pathOf(path), 'expected a list');
    return value.map((item, i) => {
      path.push(`[${i}]`);
      const copy = one(item);
      path.pop();
      return copy;
    });
  }
  return one(value);
}

/**
 * Scalars get the conversions protobufjs' fromObject applied (String(), Boolean(), Number(), |0, >>>0), so
 * encoding without fromObject gives the same bytes for the same input; the round-trip checker reports such
 * coercions. 64-bit and bytes values are taken by the writer as they are, as fromObject did.
 */
function scalar(type: string, v: unknown): unknown {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : String(v);
    case 'bool':
      return typeof v === 'boolean' ? v : Boolean(v);
    case 'double':
    case 'float':
      return typeof v === 'number' ? v : Number(v);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return (v as number) | 0;
    case 'uint32':
    case 'fixed32':
      return (v as number) >>> 0;
    default:
      return v;
  }
}

/** Enum names become their numbers here, so the checked copy can be encoded without fromObject. */
function enumNumber(type: protobuf.Enum, value: unknown, path: PathStack, root: string): number {
  if (typeof value === 'number') return value;
  const n = typeof value === 'string' ? type.values[value] : undefined;
  if (n === undefined)
    throw new EncodeError(root, pathOf(path), `unknown ${type.name} value ${JSON.stringify(value)}`);
  return n;
}

const typeCache = new Map<string, protobuf.Type>();

function cachedType(typeName: string): protobuf.Type {
  let type = typeCache.get(typeName);
  if (!type) typeCache.set(typeName, (type = lookupType(typeName)));
  return type;
}

/**
 * Encodes a typed Envoy object, refusing unknown fields. The checked copy is already in the shape
 * protobufjs' encoder takes (enums as numbers, Any as bytes), so it is encoded directly: going through
 * fromObject built a second tree of message objects per resource for nothing (a cold-start profile showed
 * it, plus the garbage it made, as the largest cost of building a snapshot).
 */
export function encodeMessage<N extends EnvoyTypeName>(typeName: N, value: EnvoyTypes[N]): Buffer;
export function encodeMessage(typeName: string, value: unknown): Buffer;
export function encodeMessage(typeName: string, value: unknown): Buffer {
  const type = cachedType(typeName);
  const checked = checkedCopy(type, value, [], typeName);
  const bytes = type.encode(checked).finish();
  // protobufjs' writer already returns a Buffer under Node: no copy then.
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
}

/** Packs a typed message into an Any (for typed_config and friends). */
export function pack<N extends EnvoyTypeName>(typeName: N, value: EnvoyTypes[N]): PackedAny {
  return { type_url: typeUrlOf(typeName), value: encodeMessage(typeName, value) };
}

/** Options that turn decoded messages back into the same plain shape kxds builds them in. */
export const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: String,
  defaults: false,
  oneofs: false,
  json: true,
};

/** Decodes bytes of a named type to a plain object; nested Any messages are unpacked as {"@type", ...}. */
export function decodeMessage(typeName: string, bytes: Uint8Array): Record<string, unknown> {
  const type = lookupType(typeName);
  return type.toObject(type.decode(bytes), TO_OBJECT_OPTIONS);
}

/** Decodes an Any (type_url + bytes) to a plain object with "@type". */
export function decodeAny(typeUrl: string, bytes: Uint8Array): Record<string, unknown> {
  return { '@type': typeUrl, ...decodeMessage(typeNameOfUrl(typeUrl), bytes) };
}

/** A short, stable content hash used as a per-resource version. */
export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}
