// Checks one Envoy resource the way Envoy would parse it: a strict encode (no unknown field), then a decode
// and re-encode that must give the same message back, so nothing kxds built was dropped or coerced on the
// way. A fuller checker (protoc-gen-validate rules from the descriptors) replaces this one on merge.
import { isDeepStrictEqual } from 'node:util';
import { decodeMessage, EncodeError, encodeMessage } from './encode';
import { lookupType } from './protos';

/** Problems found in `value` as a `typeName` message; empty when it is fine. */
export function checkEnvoyResource(typeName: string, value: unknown): string[] {
  let bytes: Buffer;
  try {
    bytes = encodeMessage(typeName, value);
  } catch (err) {
    return [err instanceof EncodeError ? err.message : `${typeName}: ${String(err)}`];
  }
  const type = lookupType(typeName);
  const decoded = decodeMessage(typeName, bytes);
  const again = Buffer.from(type.encode(type.fromObject(decoded)).finish());
  if (!isDeepStrictEqual(decodeMessage(typeName, again), decoded)) {
    return [`${typeName}: the message does not survive a decode/encode round trip`];
  }
  return [];
}
