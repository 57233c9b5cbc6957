// Reads a message written in the protobuf JSON mapping (what Envoy loads from a YAML bootstrap: Durations as
// "5s", Structs as plain objects, wrappers as bare values, Anys with an inline "@type") into protobufjs'
// object form, refusing any key the message does not have, so a file that decodes here lost nothing.
import * as protobuf from 'protobufjs';
import { lookupType, typeNameOfUrl } from '../../src/xds/protos';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WRAPPER = /^\.google\.protobuf\.(Double|Float|Int64|UInt64|Int32|UInt32|Bool|String|Bytes)Value$/;

function fail(path: string, reason: string): never {
  throw new Error(`${path || '(root)'}: ${reason}`);
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function duration(value: Json, path: string): { seconds: string; nanos: number } {
  const match = typeof value === 'string' ? /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(value) : null;
  if (!match) fail(path, `expected a Duration like "1.5s", got ${JSON.stringify(value)}`);
  const sign = match[1] === '-' ? -1 : 1;
  return { seconds: String(sign * Number(match[2])), nanos: sign * Number((match[3] ?? '').padEnd(9, '0')) };
}

function structValue(value: Json): Record<string, unknown> {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(structValue) } };
  return { structValue: struct(value) };
}

function struct(value: { [key: string]: Json }): Record<string, unknown> {
  return { fields: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structValue(v)])) };
}

function messageValue(type: protobuf.Type, value: Json, path: string): unknown {
  const name = type.fullName;
  if (name === '.google.protobuf.Duration') return duration(value, path);
  if (WRAPPER.test(name)) return { value };
  if (name === '.google.protobuf.Struct') {
    if (!isObject(value)) fail(path, 'expected an object for a Struct');
    return struct(value);
  }
  if (name === '.google.protobuf.Value') return structValue(value);
  if (!isObject(value)) fail(path, `expected a ${name.slice(1)} object`);
  if (name === '.google.protobuf.Any') {
    const { '@type': typeUrl, ...rest } = value;
    if (typeof typeUrl !== 'string') fail(path, 'an Any needs "@type"');
    const inner = lookupType(typeNameOfUrl(typeUrl));
    const message = inner.fromObject(objectForm(inner, rest, path) as Record<string, unknown>);
    return { type_url: typeUrl, value: Buffer.from(inner.encode(message).finish()) };
  }
  return objectForm(type, value, path);
}

function fieldValue(field: protobuf.Field, value: Json, path: string): unknown {
  const resolved = field.resolve().resolvedType;
  const one = (v: Json, p: string): unknown => {
    if (resolved instanceof protobuf.Type) return messageValue(resolved, v, p);
    if (resolved instanceof protobuf.Enum && (typeof v !== 'string' || !(v in resolved.values)))
      fail(p, `${JSON.stringify(v)} is not a value of ${resolved.fullName.slice(1)}`);
    return v;
  };
  if (field instanceof protobuf.MapField) {
    if (!isObject(value)) fail(path, 'expected a map');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, one(v, `${path}[${k}]`)]));
  }
  if (field.repeated) {
    if (!Array.isArray(value)) fail(path, 'expected a list');
    return value.map((item, i) => one(item, `${path}[${i}]`));
  }
  return one(value, path);
}

/** The protobufjs object form of a JSON-mapped message of `type`; throws naming the path of a bad key. */
export function objectForm(
  type: protobuf.Type,
  json: { [key: string]: Json },
  path = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = type.fields[key] ?? Object.values(type.fields).find((f) => f.options?.json_name === key);
    const fieldPath = path ? `${path}.${key}` : key;
    if (!field) fail(fieldPath, `no such field in ${type.fullName.slice(1)}`);
    out[field.name] = fieldValue(field, value, fieldPath);
  }
  return out;
}

/** Encodes a JSON-mapped message of the named type. */
export function encodeProtoJson(typeName: string, json: { [key: string]: Json }): Uint8Array {
  const type = lookupType(typeName);
  return type.encode(type.fromObject(objectForm(type, json))).finish();
}
