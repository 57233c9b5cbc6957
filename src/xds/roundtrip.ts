// Proves an Envoy object survives protobuf: encodes what kxds built, decodes the bytes, and compares the two
// field by field with the descriptor in hand. protobufjs' fromObject silently drops or coerces what it doesn't
// understand (an enum name with a typo, "false" in a bool, 1.5 in an int); every such loss shows up here as a
// difference naming its path. Only what protobuf cannot tell apart is forgiven: proto3 scalars at their
// default vs absent, empty lists and maps vs absent, longs as numbers or strings, Buffers vs base64.
import * as protobuf from 'protobufjs';
import { encodeMessage, EncodeError } from './encode';
import { anyPath, entryPath, fieldPath, itemPath, printedPath } from './field-path';
import { typeNameOfUrl } from './protos';
import {
  enumName,
  findType,
  isFloatType,
  isPlainObject,
  present,
  type PlainObject,
  readBytes,
  readEnum,
  readFloat,
  readInteger,
  shown,
} from './proto-values';
import { typePlan, type FieldPlan } from './validate-plan';

/** A leaf value in a form both sides share; `text` is compared, `isDefault` forgives proto3 defaults. */
interface Canonical {
  text: string;
  isDefault: boolean;
}

const wrongType = (value: unknown): Canonical => ({
  text: `${shown(value)} (a ${typeof value})`,
  isDefault: false,
});

function canonicalLeaf(plan: FieldPlan, value: unknown): Canonical {
  const protoType = plan.protoType;
  if (plan.enumType) {
    const read = readEnum(plan.enumType, value);
    if (!read.ok) return { text: `${shown(value)} (not a ${plan.enumType.name} value)`, isDefault: false };
    return { text: enumName(plan.enumType, read.value), isDefault: read.value === 0 };
  }
  if (protoType === 'string') {
    return typeof value === 'string' ? { text: shown(value), isDefault: value === '' } : wrongType(value);
  }
  if (protoType === 'bool') {
    return typeof value === 'boolean' ? { text: String(value), isDefault: !value } : wrongType(value);
  }
  if (protoType === 'bytes') {
    const read = readBytes(value);
    return read.ok
      ? { text: `bytes ${read.value.toString('base64')}`, isDefault: read.value.length === 0 }
      : wrongType(value);
  }
  if (isFloatType(protoType)) {
    const read = readFloat(value);
    if (!read.ok) return wrongType(value);
    // A float field keeps 32 bits: the decoded value is the built one rounded, which protobuf can't avoid.
    const number = protoType === 'float' ? Math.fround(read.value) : read.value;
    return { text: String(number), isDefault: number === 0 };
  }
  const read = readInteger(protoType, value);
  return read.ok ? { text: read.value.toString(), isDefault: read.value === 0n } : wrongType(value);
}

class Differences {
  readonly list: string[] = [];

  add(path: string, reason: string): void {
    this.list.push(`${printedPath(path)}: ${reason}`);
  }

  dropped(path: string, built: unknown): void {
    this.add(path, `built ${shown(built)} but it is gone after decoding`);
  }

  appeared(path: string, decoded: unknown): void {
    this.add(path, `not built, but decoded as ${shown(decoded)}`);
  }
}

// Long texts (bytes of a certificate, say) are compared whole but printed shortened.
const brief = (text: string): string => (text.length > 100 ? `${text.slice(0, 97)}...` : text);

function compareLeaf(
  plan: FieldPlan,
  built: unknown,
  decoded: unknown,
  hasPresence: boolean,
  path: string,
  diff: Differences,
): void {
  const a = present(built) ? canonicalLeaf(plan, built) : undefined;
  const b = present(decoded) ? canonicalLeaf(plan, decoded) : undefined;
  const builtSet = a && (hasPresence || !a.isDefault) ? a : undefined;
  const decodedSet = b && (hasPresence || !b.isDefault) ? b : undefined;
  if (!builtSet && !decodedSet) return;
  if (builtSet && !decodedSet)
    return diff.add(path, `built ${brief(builtSet.text)} but it is gone after decoding`);
  if (!builtSet && decodedSet) return diff.add(path, `not built, but decoded as ${brief(decodedSet.text)}`);
  if (builtSet && decodedSet && builtSet.text !== decodedSet.text)
    diff.add(path, `built ${brief(builtSet.text)}, decoded ${brief(decodedSet.text)}`);
}

// The plain form decoded bytes are compared in: decodeMessage's, except that Anys stay {type_url, value} so
// that bytes which don't decode as their type_url give a difference with a path instead of an exception.
const DECODED_FORM: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: String,
  defaults: false,
};

/** Decodes bytes as a type into the compared plain form, or returns why they don't decode. */
function decodeAs(type: protobuf.Type, bytes: Uint8Array): { message: protobuf.Message } | { error: string } {
  try {
    return { message: type.decode(bytes) };
  } catch (err) {
    return {
      error: `bytes don't decode as ${type.fullName.slice(1)}: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/**
 * An Any kxds built with pack() holds bytes, not the object they came from. Its bytes must decode as the named
 * type and re-encode to the same bytes (anything the type doesn't define would be lost), and the message they
 * hold is compared in turn, which reaches Anys nested inside it.
 */
function compareAny(built: unknown, decoded: PlainObject, path: string, diff: Differences): void {
  if (!isPlainObject(built)) return diff.add(path, `built ${shown(built)}, not an Any`);
  const builtForm = typeof built['@type'] === 'string';
  const typeUrl = builtForm ? built['@type'] : built.type_url;
  if (typeof typeUrl !== 'string') return diff.add(path, 'built an Any without a type_url');
  if (typeUrl !== decoded.type_url)
    diff.add(fieldPath(path, 'type_url'), `built ${shown(typeUrl)}, decoded ${shown(decoded.type_url)}`);
  const type = findType(typeNameOfUrl(typeUrl));
  if (!type) return diff.add(path, `Any of unknown type ${shown(typeUrl)} can't be checked`);
  const typeName = typePlan(type).fullName;
  const innerPath = anyPath(path, typeName);
  const decodedBytes = readBytes(decoded.value ?? '');
  if (!decodedBytes.ok) return diff.add(fieldPath(path, 'value'), decodedBytes.reason);
  const decodedInner = decodeAs(type, decodedBytes.value);
  if ('error' in decodedInner) return diff.add(path, decodedInner.error);
  const decodedFields = type.toObject(decodedInner.message, DECODED_FORM);
  if (builtForm) {
    // Built in decodeMessage's {"@type", ...fields} form: compare those fields directly.
    const builtFields = Object.fromEntries(Object.entries(built).filter(([key]) => key !== '@type'));
    return compareMessage(type, builtFields, decodedFields, innerPath, diff);
  }
  const builtBytes = readBytes(built.value ?? Buffer.alloc(0));
  if (!builtBytes.ok) return diff.add(fieldPath(path, 'value'), builtBytes.reason);
  if (!builtBytes.value.equals(decodedBytes.value))
    diff.add(fieldPath(path, 'value'), 'packed bytes changed');
  const reencoded = Buffer.from(type.encode(decodedInner.message).finish());
  if (!reencoded.equals(builtBytes.value))
    diff.add(
      innerPath,
      `the ${builtBytes.value.length} packed bytes re-encode to ${reencoded.length} different bytes: ` +
        `they hold data ${typeName} does not define`,
    );
  const builtInner = type.toObject(decodedInner.message, { longs: String, enums: String, defaults: false });
  compareMessage(type, builtInner, decodedFields, innerPath, diff);
}

function compareElement(
  plan: FieldPlan,
  built: unknown,
  decoded: unknown,
  hasPresence: boolean,
  path: string,
  diff: Differences,
): void {
  const type = plan.messageType;
  if (!type) return compareLeaf(plan, built, decoded, hasPresence, path, diff);
  if (!present(built) && !present(decoded)) return;
  if (!present(decoded)) return diff.dropped(path, built);
  if (!present(built)) return diff.appeared(path, decoded);
  if (!isPlainObject(decoded)) return diff.add(path, `decoded ${shown(decoded)}, not a message`);
  if (typePlan(type).fullName === 'google.protobuf.Any') return compareAny(built, decoded, path, diff);
  compareMessage(type, built, decoded, path, diff);
}

function compareList(
  plan: FieldPlan,
  built: unknown,
  decoded: unknown,
  path: string,
  diff: Differences,
): void {
  if (present(built) && !Array.isArray(built)) return diff.add(path, `built ${shown(built)}, not a list`);
  const a: unknown[] = Array.isArray(built) ? built : [];
  const b: unknown[] = Array.isArray(decoded) ? decoded : [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= b.length) diff.dropped(itemPath(path, i), a[i]);
    else if (i >= a.length) diff.appeared(itemPath(path, i), b[i]);
    else compareElement(plan, a[i], b[i], true, itemPath(path, i), diff);
  }
}

function compareMap(
  plan: FieldPlan,
  built: unknown,
  decoded: unknown,
  path: string,
  diff: Differences,
): void {
  if (present(built) && !isPlainObject(built)) return diff.add(path, `built ${shown(built)}, not a map`);
  const a: PlainObject = isPlainObject(built) ? built : {};
  const b: PlainObject = isPlainObject(decoded) ? decoded : {};
  const keys = new Set([...Object.keys(a).filter((k) => present(a[k])), ...Object.keys(b)]);
  for (const key of keys) {
    // A map entry always carries its value on the wire, so a default value is still "set".
    if (!(key in b)) diff.dropped(entryPath(path, key), a[key]);
    else if (!present(a[key])) diff.appeared(entryPath(path, key), b[key]);
    else compareElement(plan, a[key], b[key], true, entryPath(path, key), diff);
  }
}

function compareMessage(
  type: protobuf.Type,
  built: unknown,
  decoded: PlainObject,
  path: string,
  diff: Differences,
): void {
  const plan = typePlan(type);
  if (!isPlainObject(built)) return diff.add(path, `built ${shown(built)}, not a ${plan.fullName} message`);
  // Only the fields either side has, in declaration order: big messages have mostly absent fields.
  const fields = new Set<FieldPlan>();
  for (const key of Object.keys(built)) {
    if (!present(built[key])) continue;
    const field = plan.fieldsByName.get(key);
    if (field) fields.add(field);
    else diff.add(fieldPath(path, key), `unknown field of ${plan.fullName}, it can't be encoded`);
  }
  for (const key of Object.keys(decoded)) {
    const field = plan.fieldsByName.get(key);
    if (field && present(decoded[key])) fields.add(field);
  }
  for (const field of [...fields].sort((x, y) => x.index - y.index)) {
    const a = built[field.name];
    const b = decoded[field.name];
    const at = fieldPath(path, field.name);
    if (field.mapKeyType !== undefined) compareMap(field, a, b, at, diff);
    else if (field.repeated) compareList(field, a, b, at, diff);
    else compareElement(field, a, b, field.hasPresence, at, diff);
  }
}

/**
 * Encodes `value` as the named Envoy type, decodes the bytes and returns every difference between what was
 * built and what came back (empty when nothing was lost), each naming the field path.
 */
export function checkRoundTrip(typeName: string, value: object): string[] {
  const fullName = typeNameOfUrl(typeName);
  const type = findType(fullName);
  if (!type) return [`<root>: unknown message type ${shown(fullName)}`];
  let bytes: Buffer;
  try {
    bytes = encodeMessage(fullName, value);
  } catch (err) {
    if (err instanceof EncodeError) {
      const reason = err.message.slice(err.message.indexOf(': ') + 2);
      return [`${printedPath(err.fieldPath)}: can't be encoded: ${reason}`];
    }
    return [`<root>: can't be encoded: ${err instanceof Error ? err.message : String(err)}`];
  }
  const decoded = decodeAs(type, bytes);
  if ('error' in decoded) return [`<root>: ${decoded.error}`];
  const diff = new Differences();
  compareMessage(type, value, type.toObject(decoded.message, DECODED_FORM), '', diff);
  return diff.list;
}
