// Key material in encoded Envoy messages: which fields hold it, and a copy of a message's bytes with every
// such field replaced, for debug answers that must stay valid protobuf of the same type (CSDS sends each
// resource as an Any). The walk follows the message's descriptor and unpacks nested Any fields (a TLS
// context inlined in a Listener's transport socket), so a key is found wherever Envoy's API allows one.
import * as protobuf from 'protobufjs';
import { lookupType, typeNameOfUrl } from './protos';

export const REDACTED = '[redacted]';

/**
 * Fields that hold private keys, passwords, generic secrets, session-ticket keys or basic auth users (proto
 * and JSON names).
 */
export const KEY_MATERIAL_FIELDS: ReadonlySet<string> = new Set([
  'private_key',
  'privateKey',
  'password',
  'generic_secret',
  'genericSecret',
  'session_ticket_keys',
  'sessionTicketKeys',
  'private_key_provider',
  'privateKeyProvider',
  // basic_auth's htpasswd (users and password hashes).
  'users',
]);

/** Envoy marks fields that carry secrets with (udpa.annotations.sensitive); those are redacted too. */
function sensitive(field: protobuf.Field): boolean {
  return field.options?.['(udpa.annotations.sensitive)'] === true;
}

const DATA_SOURCE = '.envoy.config.core.v3.DataSource';
const ANY = '.google.protobuf.Any';

type Fields = Record<string, unknown>;

/** Set on the wire: decoded messages hold defaults on their prototype and present fields as own properties. */
function present(message: Fields, name: string): boolean {
  return (
    Object.prototype.hasOwnProperty.call(message, name) &&
    message[name] !== undefined &&
    message[name] !== null
  );
}

function isMessageField(field: protobuf.Field): protobuf.Type | undefined {
  const resolved = field.resolvedType ?? field.resolve().resolvedType;
  return resolved instanceof protobuf.Type ? resolved : undefined;
}

function valuesOf(field: protobuf.Field, value: unknown): Fields[] {
  if (field instanceof protobuf.MapField) return Object.values(value as Record<string, Fields>);
  return field.repeated ? (value as Fields[]) : [value as Fields];
}

/** Everything inside a key-material field: every DataSource says [redacted], nested Any and other bytes go. */
function blank(type: protobuf.Type, message: Fields): Fields {
  if (type.fullName === DATA_SOURCE) return { inline_string: REDACTED };
  const out: Fields = {};
  for (const field of type.fieldsArray) {
    if (!present(message, field.name)) continue;
    const value = message[field.name];
    const nested = isMessageField(field);
    if (nested?.fullName === ANY) continue;
    if (nested) {
      const blanked = valuesOf(field, value).map((v) => blank(nested, v));
      out[field.name] = field.repeated ? blanked : blanked[0];
    } else if (field.type === 'string') out[field.name] = REDACTED;
    else if (field.type !== 'bytes') out[field.name] = value;
  }
  return out;
}

function blankValue(field: protobuf.Field, value: unknown): unknown {
  const nested = isMessageField(field);
  if (!nested) return field.type === 'bytes' ? Buffer.from(REDACTED) : REDACTED;
  if (field instanceof protobuf.MapField) {
    const map = value as Record<string, Fields>;
    return Object.fromEntries(Object.keys(map).map((key) => [key, blank(nested, map[key] ?? {})]));
  }
  if (field.repeated) return (value as Fields[]).map((v) => blank(nested, v));
  return blank(nested, value as Fields);
}

/** Redacts in place; returns whether anything changed. */
function redactMessage(type: protobuf.Type, message: Fields): boolean {
  let changed = false;
  for (const field of type.fieldsArray) {
    if (!present(message, field.name)) continue;
    const value = message[field.name];
    if (KEY_MATERIAL_FIELDS.has(field.name) || sensitive(field)) {
      message[field.name] = blankValue(field, value);
      changed = true;
      continue;
    }
    const nested = isMessageField(field);
    if (!nested) continue;
    for (const item of valuesOf(field, value))
      changed = (nested.fullName === ANY ? redactAny(item) : redactMessage(nested, item)) || changed;
  }
  return changed;
}

function redactAny(any: Fields): boolean {
  const typeUrl = String(any.type_url ?? '');
  let type: protobuf.Type;
  try {
    type = lookupType(typeNameOfUrl(typeUrl));
  } catch {
    // A type kxds cannot read might hold anything: leave nothing of it (fail closed).
    any.value = Buffer.alloc(0);
    return true;
  }
  const inner = type.decode(any.value as Uint8Array) as unknown as Fields;
  if (!redactMessage(type, inner)) return false;
  any.value = type.encode(inner).finish();
  return true;
}

/**
 * The bytes of a message of `typeName` with every key-material field replaced ("[redacted]" in each
 * DataSource, nested Any messages inside such fields dropped). Returns the input itself when there is none.
 */
export function redactKeyMaterial(typeName: string, bytes: Uint8Array): Uint8Array {
  const type = lookupType(typeName);
  const message = type.decode(bytes) as unknown as Fields;
  if (!redactMessage(type, message)) return bytes;
  return type.encode(message).finish();
}
