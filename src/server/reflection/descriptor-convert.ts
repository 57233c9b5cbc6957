// Turns resolved protobufjs reflection objects into google.protobuf descriptor messages the way protoc
// writes them: fully qualified type names (".pkg.Msg"), map entry messages, real oneofs before synthetic
// ones, extension and reserved ranges with exclusive ends. protobufjs' own toDescriptor() groups by package
// rather than file, writes relative type names and marks every proto3 scalar "packed=false", which strict
// descriptor builders (Go's protodesc, as used by grpcurl) refuse; hence this converter.
// Custom options (validate.rules, udpa annotations) are left out: clients need types, not lint rules.
import * as protobuf from 'protobufjs';
import type { DescriptorProto } from '../../generated/google/protobuf/DescriptorProto';
import type { EnumDescriptorProto } from '../../generated/google/protobuf/EnumDescriptorProto';
import type { FieldDescriptorProto } from '../../generated/google/protobuf/FieldDescriptorProto';
import type { ServiceDescriptorProto } from '../../generated/google/protobuf/ServiceDescriptorProto';

export type Syntax = 'proto2' | 'proto3';

/** Highest field number + 1: descriptor ranges have exclusive ends, protobufjs' are inclusive. */
const MAX_FIELD_NUMBER = 536870911;

const SCALAR_TYPES: Readonly<Record<string, FieldDescriptorProto['type']>> = {
  double: 'TYPE_DOUBLE',
  float: 'TYPE_FLOAT',
  int64: 'TYPE_INT64',
  uint64: 'TYPE_UINT64',
  int32: 'TYPE_INT32',
  fixed64: 'TYPE_FIXED64',
  fixed32: 'TYPE_FIXED32',
  bool: 'TYPE_BOOL',
  string: 'TYPE_STRING',
  bytes: 'TYPE_BYTES',
  uint32: 'TYPE_UINT32',
  sfixed32: 'TYPE_SFIXED32',
  sfixed64: 'TYPE_SFIXED64',
  sint32: 'TYPE_SINT32',
  sint64: 'TYPE_SINT64',
};

/** protoc's json_name: underscores dropped, the following letter upper-cased. */
export function jsonNameOf(fieldName: string): string {
  let out = '';
  let upper = false;
  for (const c of fieldName) {
    if (c === '_') upper = true;
    else {
      out += upper ? c.toUpperCase() : c;
      upper = false;
    }
  }
  return out;
}

/** protoc's map entry message name: "typed_config" -> "TypedConfigEntry". */
export function mapEntryNameOf(fieldName: string): string {
  let out = '';
  let upper = true;
  for (const c of fieldName) {
    if (c === '_') upper = true;
    else {
      out += upper ? c.toUpperCase() : c;
      upper = false;
    }
  }
  return out + 'Entry';
}

function fieldOptions(field: protobuf.Field): Record<string, unknown> | undefined {
  return field.options as Record<string, unknown> | undefined;
}

function typeOf(field: protobuf.Field, typeName: string): Pick<FieldDescriptorProto, 'type' | 'typeName'> {
  const scalar = SCALAR_TYPES[typeName];
  if (scalar) return { type: scalar };
  const resolved = field.resolve().resolvedType;
  if (resolved instanceof protobuf.Enum) return { type: 'TYPE_ENUM', typeName: resolved.fullName };
  if (resolved instanceof protobuf.Type)
    return { type: field.delimited ? 'TYPE_GROUP' : 'TYPE_MESSAGE', typeName: resolved.fullName };
  throw new Error(`${field.fullName}: unresolved type "${typeName}"`);
}

function isPackable(field: protobuf.Field): boolean {
  const scalar = SCALAR_TYPES[field.type];
  const isEnum = field.resolve().resolvedType instanceof protobuf.Enum;
  return (
    field.repeated && (isEnum || (scalar !== undefined && field.type !== 'string' && field.type !== 'bytes'))
  );
}

function defaultValueOf(field: protobuf.Field): string | undefined {
  const value = fieldOptions(field)?.default;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
  }
  return String(value as string | number | boolean);
}

/** One field (or extension) of a message. oneofIndex maps protobufjs oneofs to descriptor positions. */
export function fieldDescriptor(
  field: protobuf.Field,
  syntax: Syntax,
  oneofIndex?: ReadonlyMap<protobuf.OneOf, number>,
  mapEntryTypeName?: string,
): FieldDescriptorProto {
  const options = fieldOptions(field);
  const descriptor: FieldDescriptorProto = {
    name: field.name,
    number: field.id,
    jsonName: typeof options?.json_name === 'string' ? options.json_name : jsonNameOf(field.name),
  };
  if (mapEntryTypeName) {
    descriptor.label = 'LABEL_REPEATED';
    descriptor.type = 'TYPE_MESSAGE';
    descriptor.typeName = mapEntryTypeName;
  } else {
    descriptor.label = field.repeated
      ? 'LABEL_REPEATED'
      : field.required
        ? 'LABEL_REQUIRED'
        : 'LABEL_OPTIONAL';
    Object.assign(descriptor, typeOf(field, field.type));
  }
  const extendee = field.extensionField?.parent;
  if (field.extend !== undefined && extendee) descriptor.extendee = extendee.fullName;
  if (field.partOf && oneofIndex?.has(field.partOf)) descriptor.oneofIndex = oneofIndex.get(field.partOf);
  if (options?.proto3_optional === true) descriptor.proto3Optional = true;
  if (syntax === 'proto2') {
    const def = defaultValueOf(field);
    if (def !== undefined) descriptor.defaultValue = def;
  }
  const out: Record<string, unknown> = {};
  if (options?.deprecated === true) out.deprecated = true;
  if (typeof options?.packed === 'boolean' && isPackable(field)) out.packed = options.packed;
  if (Object.keys(out).length > 0) descriptor.options = out;
  return descriptor;
}

function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  const only = oneof.fieldsArray.length === 1 ? oneof.fieldsArray[0] : undefined;
  return only !== undefined && fieldOptions(only)?.proto3_optional === true;
}

function reservedOf(reserved: (number[] | string)[] | undefined, exclusiveEnd: boolean) {
  const ranges: { start: number; end: number }[] = [];
  const names: string[] = [];
  for (const r of reserved ?? []) {
    if (typeof r === 'string') names.push(r);
    else {
      const [start = 0, end = start] = r;
      ranges.push({ start, end: exclusiveEnd ? Math.min(end, MAX_FIELD_NUMBER) + 1 : end });
    }
  }
  return { ranges, names };
}

export function messageDescriptor(type: protobuf.Type, syntax: Syntax): DescriptorProto {
  const oneofs = [
    ...type.oneofsArray.filter((o) => !isSyntheticOneof(o)),
    ...type.oneofsArray.filter(isSyntheticOneof),
  ];
  const oneofIndex = new Map(oneofs.map((o, i) => [o, i]));
  const nestedType: DescriptorProto[] = [];
  const field: FieldDescriptorProto[] = [];
  // Extension "sister" fields that protobufjs adds to an extended type are not this message's fields.
  for (const f of type.fieldsArray.filter((f) => !f.declaringField)) {
    if (f instanceof protobuf.MapField) {
      const entryName = mapEntryNameOf(f.name);
      nestedType.push({
        name: entryName,
        field: [
          { name: 'key', number: 1, jsonName: 'key', label: 'LABEL_OPTIONAL', ...typeOf(f, f.keyType) },
          { name: 'value', number: 2, jsonName: 'value', label: 'LABEL_OPTIONAL', ...typeOf(f, f.type) },
        ],
        options: { mapEntry: true },
      });
      field.push(fieldDescriptor(f, syntax, oneofIndex, `${type.fullName}.${entryName}`));
    } else field.push(fieldDescriptor(f, syntax, oneofIndex));
  }
  const enumType: EnumDescriptorProto[] = [];
  const extension: FieldDescriptorProto[] = [];
  for (const nested of type.nestedArray) {
    if (nested instanceof protobuf.Type) nestedType.push(messageDescriptor(nested, syntax));
    else if (nested instanceof protobuf.Enum) enumType.push(enumDescriptor(nested));
    else if (nested instanceof protobuf.Field && nested.extend !== undefined)
      extension.push(fieldDescriptor(nested, syntax));
  }
  const reserved = reservedOf(type.reserved, true);
  const descriptor: DescriptorProto = {
    name: type.name,
    field,
    nestedType,
    enumType,
    extension,
    oneofDecl: oneofs.map((o) => ({ name: o.name })),
    extensionRange: (type.extensions ?? []).map(([start = 0, end = start]) => ({
      start,
      end: Math.min(end, MAX_FIELD_NUMBER) + 1,
    })),
    reservedRange: reserved.ranges,
    reservedName: reserved.names,
  };
  if ((type.options as Record<string, unknown> | undefined)?.deprecated === true)
    descriptor.options = { deprecated: true };
  return descriptor;
}

export function enumDescriptor(enm: protobuf.Enum): EnumDescriptorProto {
  const reserved = reservedOf(enm.reserved, false);
  const descriptor: EnumDescriptorProto = {
    name: enm.name,
    value: Object.entries(enm.values).map(([name, number]) => ({ name, number })),
    reservedRange: reserved.ranges,
    reservedName: reserved.names,
  };
  if ((enm.options as Record<string, unknown> | undefined)?.allow_alias === true)
    descriptor.options = { allowAlias: true };
  return descriptor;
}

export function serviceDescriptor(service: protobuf.Service): ServiceDescriptorProto {
  return {
    name: service.name,
    method: service.methodsArray.map((m) => {
      m.resolve();
      if (!m.resolvedRequestType || !m.resolvedResponseType)
        throw new Error(`${m.fullName}: unresolved request or response type`);
      return {
        name: m.name,
        inputType: m.resolvedRequestType.fullName,
        outputType: m.resolvedResponseType.fullName,
        clientStreaming: Boolean(m.requestStream),
        serverStreaming: Boolean(m.responseStream),
      };
    }),
  };
}
