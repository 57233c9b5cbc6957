// The reference server's resources (see reference-server.ts): one EDS Cluster and one ClusterLoadAssignment
// per benchmark Service, each encoded once into the bytes every response shares: the Any a SotW response
// lists and the Resource a delta response lists. Built straight from the fixtures, no translation.
import * as protobuf from 'protobufjs';
import { lookupType } from '../../src/xds/protos';
import { MESSAGE_NAME, TYPE_URLS, type ResourceKind } from '../../src/xds/types';
import type { EndpointSlice } from '../../src/model/k8s';

export type ReferenceKind = Extract<ResourceKind, 'cluster' | 'endpoint'>;

/** One resource at one version, encoded once. */
export interface EncodedResource {
  name: string;
  version: string;
  /** A google.protobuf.Any holding the resource (a SotW DiscoveryResponse's `resources` entry). */
  any: Uint8Array;
  /** A DeltaDiscoveryResponse's envoy.service.discovery.v3.Resource entry (name, version, the Any). */
  deltaResource: Uint8Array;
}

export function encodeResource(
  kind: ReferenceKind,
  name: string,
  version: string,
  value: object,
): EncodedResource {
  const type = lookupType(MESSAGE_NAME[kind]);
  const bytes = type.encode(type.fromObject(value)).finish();
  const any = protobuf.Writer.create().uint32(10).string(TYPE_URLS[kind]).uint32(18).bytes(bytes).finish();
  const deltaResource = protobuf.Writer.create()
    .uint32(10)
    .string(version)
    .uint32(18)
    .bytes(any)
    .uint32(26)
    .string(name)
    .finish();
  return { name, version, any, deltaResource };
}

export function referenceCluster(name: string): object {
  return {
    name,
    type: 'EDS',
    connect_timeout: { seconds: 5 },
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } },
  };
}

/** The endpoints of an EndpointSlice, one locality per zone weighted by its ready endpoints. */
export function referenceLoadAssignment(name: string, slice: EndpointSlice): object {
  const port = slice.ports?.[0]?.port ?? 80;
  const zones = new Map<string, string[]>();
  for (const e of slice.endpoints ?? []) {
    if (e.conditions?.ready === false) continue;
    const zone = e.zone ?? '';
    zones.set(zone, [...(zones.get(zone) ?? []), ...e.addresses]);
  }
  return {
    cluster_name: name,
    endpoints: [...zones].map(([zone, addresses]) => ({
      locality: { zone },
      load_balancing_weight: { value: addresses.length },
      lb_endpoints: addresses.map((address) => ({
        endpoint: { address: { socket_address: { address, port_value: port } } },
        health_status: 'HEALTHY',
      })),
    })),
  };
}

/**
 * A (Delta)DiscoveryResponse without its nonce: version (field 1), the resources (field 2), type_url
 * (field 4). Both messages number these fields alike; the nonce (field 5) is appended per stream.
 */
export function responsePrefix(
  version: string,
  typeUrl: string,
  resources: Uint8Array[],
  field: number,
): Buffer {
  const w = protobuf.Writer.create().uint32(10).string(version);
  for (const r of resources) w.uint32((field << 3) | 2).bytes(r);
  return Buffer.from(w.uint32(34).string(typeUrl).finish());
}
