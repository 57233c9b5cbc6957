// Wire codec for DeltaDiscoveryRequest/DeltaDiscoveryResponse (incremental xDS). A response carries
// envoy.service.discovery.v3.Resource messages {name, version, resource: Any}; each one is encoded once per
// (resource, version) - the EncodedResource object is immutable, so its Resource bytes are cached beside it
// in a WeakMap and shared by every delta stream that sends it.
import * as protobuf from 'protobufjs';
import { lookupType } from '../xds/protos';
import type { EncodedResource } from '../xds/snapshot';
import { decodeXdsRequest } from './discovery-codec';
import type { XdsNode } from './node';

export interface DeltaDiscoveryRequest {
  node?: XdsNode;
  type_url?: string;
  resource_names_subscribe?: string[];
  resource_names_unsubscribe?: string[];
  /** name -> version the client already holds (first request of a type on a reconnect). */
  initial_resource_versions?: Record<string, string>;
  response_nonce?: string;
  error_detail?: { code?: number; message?: string };
}

/** What a delta stream sends: resources that changed (pre-encoded) and names that are gone. */
export interface OutgoingDeltaResponse {
  systemVersionInfo: string;
  typeUrl: string;
  nonce: string;
  resources: readonly EncodedResource[];
  removed: readonly string[];
}

const CONTROL_PLANE_ID = 'kxds';

export function decodeDeltaDiscoveryRequest(bytes: Buffer): DeltaDiscoveryRequest {
  return decodeXdsRequest<DeltaDiscoveryRequest>('envoy.service.discovery.v3.DeltaDiscoveryRequest', bytes);
}

const resourceBytes = new WeakMap<EncodedResource, Uint8Array>();
let resourceEncodes = 0;

/** How many Resource wrappers were encoded since start (tests prove they are shared across streams). */
export function deltaResourceEncodeCount(): number {
  return resourceEncodes;
}

/** envoy.service.discovery.v3.Resource bytes for an encoded resource, built once and cached. */
export function deltaResourceBytes(resource: EncodedResource): Uint8Array {
  let bytes = resourceBytes.get(resource);
  if (!bytes) {
    // Resource: version = 1, resource (Any) = 2, name = 3.
    bytes = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string(resource.version)
      .uint32((2 << 3) | 2)
      .bytes(resource.anyBytes)
      .uint32((3 << 3) | 2)
      .string(resource.name)
      .finish();
    resourceBytes.set(resource, bytes);
    resourceEncodes++;
  }
  return bytes;
}

export function encodeDeltaDiscoveryResponse(response: OutgoingDeltaResponse): Buffer {
  // Field numbers from envoy/service/discovery/v3/discovery.proto (DeltaDiscoveryResponse).
  const w = protobuf.Writer.create();
  if (response.systemVersionInfo) w.uint32((1 << 3) | 2).string(response.systemVersionInfo);
  for (const r of response.resources) w.uint32((2 << 3) | 2).bytes(deltaResourceBytes(r));
  w.uint32((4 << 3) | 2).string(response.typeUrl);
  w.uint32((5 << 3) | 2).string(response.nonce);
  for (const name of response.removed) w.uint32((6 << 3) | 2).string(name);
  // control_plane (field 7) is a core.v3.ControlPlane { identifier = 1 }.
  w.uint32((7 << 3) | 2)
    .fork()
    .uint32(10)
    .string(CONTROL_PLANE_ID)
    .ldelim();
  return Buffer.from(w.finish());
}

/** For tests and debugging: the full decoder of a DeltaDiscoveryResponse. */
export function decodeDeltaDiscoveryResponse(bytes: Uint8Array): Record<string, unknown> {
  const type = lookupType('envoy.service.discovery.v3.DeltaDiscoveryResponse');
  return type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: false, json: true });
}
