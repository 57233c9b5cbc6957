// Reads the fields of a (Delta)DiscoveryRequest the reference server needs straight off the wire, without
// decoding the resource names unless they changed: a SotW ACK repeats the stream's whole EDS name list, and
// comparing its bytes with the previous request's is what a minimal server does to tell "same names".
import * as protobuf from 'protobufjs';

export interface RequestFields {
  nodeId: string;
  typeUrl: string;
  version: string;
  nonce: string;
  error: boolean;
  /** The bytes from the first to the last name field (SotW resource_names, delta resource_names_subscribe). */
  names: Buffer;
}

/** Field numbers: SotW 1 version, 2 node, 3 names, 4 type_url, 5 nonce, 6 error; delta 1 node, 2 type_url,
 * 3 subscribe, 6 nonce, 7 error. */
const FIELDS = {
  sotw: { version: 1, node: 2, names: 3, typeUrl: 4, nonce: 5, error: 6 },
  delta: { version: -1, node: 1, names: 3, typeUrl: 2, nonce: 6, error: 7 },
};

export function readRequest(bytes: Buffer, delta: boolean): RequestFields {
  const f = delta ? FIELDS.delta : FIELDS.sotw;
  const out: RequestFields = { nodeId: '', typeUrl: '', version: '', nonce: '', error: false, names: EMPTY };
  const reader = protobuf.Reader.create(bytes);
  let namesStart = -1;
  let namesEnd = -1;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === f.typeUrl) out.typeUrl = reader.string();
    else if (field === f.version) out.version = reader.string();
    else if (field === f.nonce) out.nonce = reader.string();
    else if (field === f.node) out.nodeId = nodeId(reader.bytes());
    else if (field === f.error) {
      out.error = true;
      reader.skipType(tag & 7);
    } else if (field === f.names) {
      if (namesStart < 0) namesStart = start;
      reader.skipType(tag & 7);
      namesEnd = reader.pos;
    } else reader.skipType(tag & 7);
  }
  if (namesStart >= 0) out.names = bytes.subarray(namesStart, namesEnd);
  return out;
}

/** The names of a name region (see RequestFields.names). */
export function decodeNames(region: Buffer): string[] {
  const reader = protobuf.Reader.create(region);
  const names: string[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === FIELDS.sotw.names) names.push(reader.string());
    else reader.skipType(tag & 7);
  }
  return names;
}

const EMPTY = Buffer.alloc(0);

function nodeId(node: Uint8Array): string {
  const reader = protobuf.Reader.create(node);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) return reader.string();
    reader.skipType(tag & 7);
  }
  return '';
}
