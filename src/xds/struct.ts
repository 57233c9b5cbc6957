// google.protobuf.Struct <-> plain JSON. protobufjs has no JSON mapping for Struct, and node metadata
// arrives as one, so it is converted by hand.

interface ValueMessage {
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: StructMessage;
  listValue?: { values?: ValueMessage[] };
}

export interface StructMessage {
  fields?: Record<string, ValueMessage>;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function valueToJson(value: ValueMessage): Json {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.numberValue !== undefined) return value.numberValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.structValue !== undefined) return structToJson(value.structValue);
  if (value.listValue !== undefined) return (value.listValue.values ?? []).map(valueToJson);
  return null;
}

export function structToJson(struct: StructMessage | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(struct?.fields ?? {})) out[key] = valueToJson(value);
  return out;
}

function jsonToValue(value: unknown): ValueMessage {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(jsonToValue) } };
  return { structValue: jsonToStruct(value as Record<string, unknown>) };
}

export function jsonToStruct(json: Record<string, unknown>): StructMessage {
  const fields: Record<string, ValueMessage> = {};
  for (const key of Object.keys(json).sort()) fields[key] = jsonToValue(json[key]);
  return { fields };
}
