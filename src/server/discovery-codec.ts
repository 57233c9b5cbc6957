// Wire codec for DiscoveryRequest/DiscoveryResponse. Responses are assembled from resources that the
// snapshot already encoded as Any bytes, so sending to N streams never re-encodes a resource.
import * as protobuf from 'protobufjs';
import { lookupType } from '../xds/protos';
import type { XdsNode } from './node';
import { structToJson, type StructMessage } from '../xds/struct';

export interface DiscoveryRequest {
  version_info?: string;
  node?: XdsNode;
  /** Left undefined by decodeDiscoveryRequest: read the names with requestNames(). */
  resource_names?: string[];
  /**
   * The bytes of the resource_names fields as received (empty when there are none): every SotW ACK repeats
   * the stream's whole list, so a stream compares these with the previous request's and decodes the names
   * only when they differ. Set by decodeDiscoveryRequest only.
   */
  resource_names_wire?: Buffer;
  type_url?: string;
  response_nonce?: string;
  error_detail?: { code?: number; message?: string };
}

/** What the server sends; resources are pre-encoded google.protobuf.Any messages. */
export interface OutgoingResponse {
  versionInfo: string;
  typeUrl: string;
  nonce: string;
  resources: readonly Uint8Array[];
}

const CONTROL_PLANE_ID = 'kxds';

const requestTypes = new Map<string, protobuf.Type>();

function cachedType(typeName: string): protobuf.Type {
  let type = requestTypes.get(typeName);
  if (!type) {
    type = lookupType(typeName);
    requestTypes.set(typeName, type);
  }
  return type;
}

/**
 * Decodes a SotW or delta request (by message name); node.metadata comes back as plain JSON rather than a
 * protobuf Struct.
 */
export function decodeXdsRequest<T extends { node?: XdsNode }>(typeName: string, bytes: Buffer): T {
  const type = cachedType(typeName);
  const request = type.toObject(type.decode(bytes), TO_OBJECT) as T;
  if (request.node?.metadata) request.node.metadata = structToJson(request.node.metadata as StructMessage);
  return request;
}

const TO_OBJECT = { longs: String, enums: String, defaults: false, json: true } as const;

/** A submessage decoded as decodeXdsRequest would (plain JSON shapes). */
function decodeMessage<T>(typeName: string, bytes: Uint8Array): T {
  const type = cachedType(typeName);
  return type.toObject(type.decode(bytes), TO_OBJECT) as T;
}

/**
 * Decodes a SotW request by hand (field numbers from discovery.proto's DiscoveryRequest), leaving the
 * resource names as bytes (see resource_names_wire): decoding 1,000 names on every ACK was a fifth of the
 * server's CPU in the 1,000-stream fan-out. Fields of the wrong wire type and unknown fields are skipped.
 */
export function decodeDiscoveryRequest(bytes: Buffer): DiscoveryRequest {
  const reader = protobuf.Reader.create(bytes);
  const request: DiscoveryRequest = {};
  let namesStart = -1;
  let namesEnd = -1;
  while (reader.pos < reader.len) {
    const at = reader.pos;
    const tag = reader.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== 2 || field > 6) {
      reader.skipType(tag & 7);
      continue;
    }
    if (field === 1) request.version_info = reader.string();
    else if (field === 2) {
      const node = decodeMessage<XdsNode>('envoy.config.core.v3.Node', reader.bytes());
      if (node.metadata) node.metadata = structToJson(node.metadata as StructMessage);
      request.node = node;
    } else if (field === 3) {
      if (namesStart < 0) namesStart = at;
      reader.skipType(2);
      namesEnd = reader.pos;
    } else if (field === 4) request.type_url = reader.string();
    else if (field === 5) request.response_nonce = reader.string();
    else request.error_detail = decodeMessage('google.rpc.Status', reader.bytes());
  }
  request.resource_names_wire = namesStart < 0 ? EMPTY : bytes.subarray(namesStart, namesEnd);
  return request;
}

const EMPTY = Buffer.alloc(0);

/** A request's resource names: as given (tests, in-process callers), else decoded from the wire bytes. */
export function requestNames(request: DiscoveryRequest): string[] {
  if (request.resource_names) return request.resource_names;
  const wire = request.resource_names_wire;
  if (!wire || wire.length === 0) return [];
  const reader = protobuf.Reader.create(wire);
  const names: string[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 3 && (tag & 7) === 2) names.push(reader.string());
    else reader.skipType(tag & 7);
  }
  return names;
}

export function encodeDiscoveryResponse(response: OutgoingResponse): Buffer {
  // Field numbers from envoy/service/discovery/v3/discovery.proto (DiscoveryResponse).
  const w = protobuf.Writer.create();
  if (response.versionInfo) w.uint32((1 << 3) | 2).string(response.versionInfo);
  for (const any of response.resources) w.uint32((2 << 3) | 2).bytes(any);
  w.uint32((4 << 3) | 2).string(response.typeUrl);
  w.uint32((5 << 3) | 2).string(response.nonce);
  // control_plane (field 6) is a core.v3.ControlPlane { identifier = 1 }.
  w.uint32((6 << 3) | 2)
    .fork()
    .uint32(10)
    .string(CONTROL_PLANE_ID)
    .ldelim();
  return Buffer.from(w.finish());
}

/** For tests and `kxds dump`: the full decoder of a DiscoveryResponse. */
export function decodeDiscoveryResponse(bytes: Uint8Array): Record<string, unknown> {
  const type = lookupType('envoy.service.discovery.v3.DiscoveryResponse');
  return type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: false, json: true });
}
