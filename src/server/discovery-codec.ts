// Wire codec for DiscoveryRequest/DiscoveryResponse. Responses are assembled from resources that the
// snapshot already encoded as Any bytes, so sending to N streams never re-encodes a resource.
import * as protobuf from 'protobufjs';
import { lookupType } from '../xds/protos';
import type { XdsNode } from './node';
import { structToJson, type StructMessage } from '../xds/struct';

export interface DiscoveryRequest {
  version_info?: string;
  node?: XdsNode;
  resource_names?: string[];
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

/**
 * Decodes a SotW or delta request (by message name); node.metadata comes back as plain JSON rather than a
 * protobuf Struct.
 */
export function decodeXdsRequest<T extends { node?: XdsNode }>(typeName: string, bytes: Buffer): T {
  let type = requestTypes.get(typeName);
  if (!type) {
    type = lookupType(typeName);
    requestTypes.set(typeName, type);
  }
  const request = type.toObject(type.decode(bytes), {
    longs: String,
    enums: String,
    defaults: false,
    json: true,
  }) as T;
  if (request.node?.metadata) request.node.metadata = structToJson(request.node.metadata as StructMessage);
  return request;
}

export function decodeDiscoveryRequest(bytes: Buffer): DiscoveryRequest {
  return decodeXdsRequest<DiscoveryRequest>('envoy.service.discovery.v3.DiscoveryRequest', bytes);
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
