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

function checkedCopy(
  type: protobuf.Type,
  value: unknown,
  path: string,
  root: string,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EncodeError(root, path, `expected a ${type.fullName.slice(1)} object`);
  }
  if (type.fullName === '.google.protobuf.Any') {
    const any = value as Partial<PackedAny>;
    if (typeof any.type_url !== 'string' || !(any.value instanceof Uint8Array)) {
      throw new EncodeError(root, path, 'an Any must be built with pack()');
    }
    return { type_url: any.type_url, value: any.value };
  }
  const out: Record<string, unknown> = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    if (fieldValue === undefined || fieldValue === null) continue;
    const field = type.fields[key];
    if (!field) throw new EncodeError(root, path, `unknown field "${key}"`);
    const fieldPath = path ? `${path}.${key}` : key;
    out[key] = checkedField(field, fieldValue, fieldPath, root);
  }
  return out;
}

function checkedField(field: protobuf.Field, value: unknown, path: string, root: string): unknown {
  const resolved = field.resolve().resolvedType;
  const one = (v: unknown, p: string): unknown => {
    if (resolved instanceof protobuf.Type) return checkedCopy(resolved, v, p, root);
    if (resolved instanceof protobuf.Enum) return enumNumber(resolved, v, p, root);
    return v;
  };
  if (field instanceof protobuf.MapField) {
    if (typeof value !== 'object' || value === null)
      throw new EncodeError(root, path, 'expected a map object');
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      sorted[key] = one((value as Record<string, unknown>)[key], `${path}[${key}]`);
    return sorted;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new EncodeError(root, path, 'expected a list');
    return value.map((item, i) => one(item, `${path}[${i}]`));
  }
  return one(value, path);
}

/** Enum names become their numbers here, so the checked copy can be encoded without fromObject. */
function enumNumber(type: protobuf.Enum, value: unknown, path: string, root: string): number {
  if (typeof value === 'number') return value;
  const n = typeof value === 'string' ? type.values[value] : undefined;
  if (n === undefined)
    throw new EncodeError(root, path, `unknown ${type.name} value ${JSON.stringify(value)}`);
  return n;
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
  const type = lookupType(typeName);
  const checked = checkedCopy(type, value, '', typeName);
  return Buffer.from(type.encode(checked).finish());
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
