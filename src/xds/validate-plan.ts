// What the validator needs to know about each message type, read once from the descriptors and cached: the
// fields with their `(validate.rules)`, the oneofs with `(validate.required)`, deprecation marks and whether
// the message disables validation. Golden tests validate thousands of resources, so nothing here is re-read.
import * as protobuf from 'protobufjs';
import { enumTypeOf, fieldHasPresence, messageTypeOf } from './proto-values';
import type { RuleSet } from './validate-checks';

export interface FieldPlan {
  readonly name: string;
  /** Position in the message, so problems can be listed in declaration order. */
  readonly index: number;
  /** The scalar type name (`string`, `uint32`, ...) or the message/enum type name as written in the proto. */
  readonly protoType: string;
  readonly messageType: protobuf.Type | undefined;
  readonly enumType: protobuf.Enum | undefined;
  readonly repeated: boolean;
  /** The key type of a map field (the value type is protoType/messageType/enumType). */
  readonly mapKeyType: string | undefined;
  readonly hasPresence: boolean;
  /** The oneof the field belongs to (a member is checked only when set, even if its rules say required). */
  readonly oneof: string | undefined;
  /** The field's `(validate.rules)`, or undefined when it has none. */
  readonly rules: RuleSet | undefined;
  readonly deprecated: boolean;
  /** Deprecated and `(envoy.annotations.disallowed_by_default)`: Envoy refuses it unless a runtime flag allows it. */
  readonly disallowedByDefault: boolean;
}

export interface OneofPlan {
  readonly name: string;
  readonly required: boolean;
  readonly members: readonly string[];
}

export interface TypePlan {
  readonly fullName: string;
  readonly fields: readonly FieldPlan[];
  /** Fields by name, for walking only the keys an object has. */
  readonly fieldsByName: ReadonlyMap<string, FieldPlan>;
  readonly oneofs: readonly OneofPlan[];
  /** `(validate.disabled)` or `(validate.ignored)`: the message's own rules are not checked. */
  readonly rulesDisabled: boolean;
}

function validateRules(field: protobuf.Field): RuleSet | undefined {
  let merged: Record<string, unknown> | undefined;
  // protobufjs types parsedOptions as an object, but it holds one entry per option statement.
  const options = (field.parsedOptions ?? []) as unknown as readonly Record<string, unknown>[];
  for (const option of options) {
    const rules = option['(validate.rules)'];
    if (rules !== null && typeof rules === 'object') merged = { ...merged, ...(rules as RuleSet) };
  }
  return merged;
}

function fieldPlan(field: protobuf.Field, index: number): FieldPlan {
  return {
    name: field.name,
    index,
    protoType: field.type,
    messageType: messageTypeOf(field),
    enumType: enumTypeOf(field),
    repeated: field.repeated,
    mapKeyType: field instanceof protobuf.MapField ? field.keyType : undefined,
    hasPresence: fieldHasPresence(field),
    oneof: field.partOf?.name,
    rules: validateRules(field),
    deprecated: field.options?.deprecated === true,
    disallowedByDefault: field.options?.['(envoy.annotations.disallowed_by_default)'] === true,
  };
}

// Synthetic oneofs of proto3 `optional` fields are not real choices: leave them out.
function isRealOneof(oneof: protobuf.OneOf): boolean {
  return !oneof.fieldsArray.every((f) => f.options?.proto3_optional === true);
}

const plans = new WeakMap<protobuf.Type, TypePlan>();

/** The cached plan of a message type. */
export function typePlan(type: protobuf.Type): TypePlan {
  const cached = plans.get(type);
  if (cached) return cached;
  const fields = type.fieldsArray.map((field, index) => fieldPlan(field, index));
  const options = type.options ?? {};
  const plan: TypePlan = {
    fullName: type.fullName.replace(/^\./, ''),
    fields,
    fieldsByName: new Map(fields.map((f) => [f.name, f])),
    oneofs: type.oneofsArray.filter(isRealOneof).map((oneof) => ({
      name: oneof.name,
      required: oneof.options?.['(validate.required)'] === true,
      members: oneof.fieldsArray.map((f) => f.name),
    })),
    rulesDisabled: options['(validate.disabled)'] === true || options['(validate.ignored)'] === true,
  };
  plans.set(type, plan);
  return plan;
}

/**
 * How Envoy treats an enum value: `disallowed` (deprecated and `disallowed_by_default_enum`, refused unless a
 * runtime flag allows it), `deprecated` (a warning) or `current`.
 */
export function enumValueStatus(
  enumType: protobuf.Enum,
  name: string,
): 'current' | 'deprecated' | 'disallowed' {
  const options = enumType.valuesOptions?.[name] as Record<string, unknown> | undefined;
  if (options?.deprecated !== true) return 'current';
  return options['(envoy.annotations.disallowed_by_default_enum)'] === true ? 'disallowed' : 'deprecated';
}
