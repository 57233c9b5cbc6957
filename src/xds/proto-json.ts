// The protobuf JSON mapping (what Envoy's YAML/JSON config loader and `protoc --json` expect) of encoded
// Envoy messages. protobufjs' toObject is not that mapping: it writes a Duration as {seconds, nanos}, a Struct
// as {fields: {...}} and a wrapper as {value}, all of which Envoy rejects in a bootstrap file. Field names
// stay snake_case, which Envoy's loader accepts and its documentation uses.
import * as protobuf from 'protobufjs';
import { lookupType, typeNameOfUrl } from './protos';
import { redactKeyMaterial } from './key-material';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (w) => `.google.protobuf.${w}Value`,
  ),
);

type Decoded = Record<string, unknown>;

function has(message: Decoded, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, key);
}

function longToString(value: unknown): string {
  return typeof value === 'object' && value !== null ? String(value as object) : String(value);
}

function durationToJson(message: Decoded): string {
  const seconds = Number(longToString(message.seconds ?? 0));
  const nanos = Number(message.nanos ?? 0);
  if (nanos === 0) return `${seconds}s`;
  const sign = seconds < 0 || nanos < 0 ? '-' : '';
  // The mapping writes 3, 6 or 9 fractional digits.
  const nine = String(Math.abs(nanos)).padStart(9, '0');
  const fraction = nine.endsWith('000000')
    ? nine.slice(0, 3)
    : nine.endsWith('000')
      ? nine.slice(0, 6)
      : nine;
  return `${sign}${Math.abs(seconds)}.${fraction}s`;
}

function structValueToJson(value: Decoded): JsonValue {
  if (has(value, 'structValue')) return structToJson(value.structValue as Decoded);
  if (has(value, 'listValue'))
    return ((value.listValue as Decoded).values as Decoded[] | undefined)?.map(structValueToJson) ?? [];
  if (has(value, 'stringValue')) return value.stringValue as string;
  if (has(value, 'numberValue')) return value.numberValue as number;
  if (has(value, 'boolValue')) return value.boolValue as boolean;
  return null;
}

function structToJson(struct: Decoded): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  const fields = (struct.fields ?? {}) as Record<string, Decoded>;
  for (const key of Object.keys(fields).sort()) out[key] = structValueToJson(fields[key] as Decoded);
  return out;
}

function scalarToJson(field: protobuf.Field, value: unknown): JsonValue {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return resolved.valuesById[value as number] ?? (value as number);
  if (resolved instanceof protobuf.Type) return messageToJson(resolved, value as Decoded);
  switch (field.type) {
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return longToString(value);
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'double':
    case 'float':
      return Number.isFinite(value) ? (value as number) : String(value);
    default:
      return value as JsonValue;
  }
}

function anyToJson(message: Decoded): JsonValue {
  const typeUrl = message.type_url as string;
  const inner = lookupType(typeNameOfUrl(typeUrl));
  const json = messageToJson(inner, inner.decode(message.value as Uint8Array) as unknown as Decoded);
  // Well-known types inside an Any are written as {"@type", "value": <their JSON>} by the mapping's rules.
  if (inner.fullName.startsWith('.google.protobuf.')) return { '@type': typeUrl, value: json };
  return { '@type': typeUrl, ...(json as { [key: string]: JsonValue }) };
}

function messageToJson(type: protobuf.Type, message: Decoded): JsonValue {
  if (type.fullName === '.google.protobuf.Duration') return durationToJson(message);
  if (type.fullName === '.google.protobuf.Struct') return structToJson(message);
  if (type.fullName === '.google.protobuf.Value') return structValueToJson(message);
  if (type.fullName === '.google.protobuf.Any') return anyToJson(message);
  if (WRAPPERS.has(type.fullName)) {
    const field = type.fields.value as protobuf.Field;
    return has(message, 'value') ? scalarToJson(field.resolve(), message.value) : scalarDefault(field);
  }
  const out: { [key: string]: JsonValue } = {};
  // Field-number order reads naturally (name first) and is stable; empty lists and maps are defaults that
  // the mapping omits (protobufjs' decoder creates them on every message).
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    if (!has(message, field.name)) continue;
    field.resolve();
    const value = message[field.name];
    if (Array.isArray(value) && value.length === 0) continue;
    if (field instanceof protobuf.MapField) {
      const map = value as Record<string, unknown>;
      if (Object.keys(map).length === 0) continue;
      const json: { [key: string]: JsonValue } = {};
      for (const key of Object.keys(map).sort()) json[key] = scalarToJson(field, map[key]);
      out[field.name] = json;
    } else if (field.repeated) {
      out[field.name] = (value as unknown[]).map((item) => scalarToJson(field, item));
    } else {
      out[field.name] = scalarToJson(field, value);
    }
  }
  return out;
}

function scalarDefault(field: protobuf.Field): JsonValue {
  if (field.type === 'bool') return false;
  if (field.type === 'string' || field.type === 'bytes') return '';
  return field.type.endsWith('64') ? '0' : 0;
}

/** Decodes bytes of a named message and returns its protobuf JSON mapping (snake_case field names). */
export function toProtoJson(typeName: string, bytes: Uint8Array): { [key: string]: JsonValue } {
  const type = lookupType(typeName);
  return messageToJson(type, type.decode(bytes) as unknown as Decoded) as { [key: string]: JsonValue };
}

/**
 * The JSON every kxds output shows a resource in (/debug/snapshot, the status page, `kxds dump`, and, built
 * by the server from the same bytes, CSDS and so `kxds proxy-config`/`proxy-status -o json`): the protobuf
 * JSON mapping above, of the bytes with key material replaced by the same byte-level redaction CSDS uses
 * (a DataSource becomes {"inline_string": "[redacted]"}), unless `showSecrets`.
 */
export function resourceJson(
  typeName: string,
  bytes: Uint8Array,
  showSecrets = false,
): { [key: string]: JsonValue } {
  return toProtoJson(typeName, showSecrets ? bytes : redactKeyMaterial(typeName, bytes));
}
