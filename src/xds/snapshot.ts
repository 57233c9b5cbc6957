// A snapshot: the encoded resources of one node group, with a content-hash version per resource and per
// type. Every resource is encoded once here and its bytes are shared by every stream that sends it. A
// resource whose typed object is unchanged since the previous snapshot keeps its bytes and version.
import * as protobuf from 'protobufjs';
import { contentHash, encodeMessage } from './encode';
import { typeUrlOf } from './protos';
import type { ResourceKind, ResourceSet } from './types';
import { MESSAGE_NAME, TYPE_URLS } from './types';

export interface EncodedResource {
  readonly name: string;
  /** Content hash of the encoded message: the resource's version (delta xDS) and change detector. */
  readonly version: string;
  /** The resource as google.protobuf.Any bytes, ready to be placed in a DiscoveryResponse. */
  readonly anyBytes: Uint8Array;
  /** The encoded message itself (without the Any envelope). */
  readonly messageBytes: Uint8Array;
  /** The typed object it was built from, for debug output. */
  readonly value: object;
}

export interface TypeSnapshot {
  readonly kind: ResourceKind;
  readonly typeUrl: string;
  /** Hash of every (name, version): changes exactly when some resource of the type changes. */
  readonly version: string;
  readonly resources: ReadonlyMap<string, EncodedResource>;
}

export interface Snapshot {
  readonly group: string;
  readonly types: Readonly<Record<ResourceKind, TypeSnapshot>>;
  /** Hash of the type versions: equal snapshots have equal versions. */
  readonly version: string;
}

export class SnapshotEncodeError extends Error {
  constructor(
    readonly group: string,
    readonly kind: ResourceKind,
    readonly resourceName: string,
    cause: Error,
  ) {
    super(`${group}: ${kind} "${resourceName}": ${cause.message}`);
    this.name = 'SnapshotEncodeError';
  }
}

function encodeAny(typeUrl: string, messageBytes: Uint8Array): Uint8Array {
  // google.protobuf.Any: field 1 type_url (string), field 2 value (bytes).
  return protobuf.Writer.create().uint32(10).string(typeUrl).uint32(18).bytes(messageBytes).finish();
}

function encodeResource(kind: ResourceKind, name: string, value: object): EncodedResource {
  const messageBytes = encodeMessage(MESSAGE_NAME[kind], value);
  return {
    name,
    version: contentHash(messageBytes),
    anyBytes: encodeAny(typeUrlOf(MESSAGE_NAME[kind]), messageBytes),
    messageBytes,
    value,
  };
}

/** Counts of one or more builds: how many resources were encoded and how many kept their bytes. */
export interface SnapshotBuildStats {
  encoded: number;
  reused: number;
}

function typeVersion(resources: ReadonlyMap<string, EncodedResource>): string {
  const names = [...resources.keys()].sort();
  return contentHash(names.map((n) => `${n}\u0000${resources.get(n)?.version ?? ''}`).join('\n'));
}

/**
 * Encodes a group's resources. A resource that fails to encode is left out and reported through onError
 * (translation bugs must not take the rest of the config down).
 */
export function buildSnapshot(
  group: string,
  set: ResourceSet,
  previous: Snapshot | undefined,
  onError: (err: SnapshotEncodeError) => void = () => {},
  /** Optional counters (tests and benchmarks prove unchanged resources are not encoded again). */
  stats?: SnapshotBuildStats,
): Snapshot {
  const types = {} as Record<ResourceKind, TypeSnapshot>;
  for (const kind of Object.keys(TYPE_URLS) as ResourceKind[]) {
    const before = previous?.types[kind];
    const resources = new Map<string, EncodedResource>();
    for (const name of [...set[kind].keys()].sort()) {
      const value = set[kind].get(name) as object;
      const old = before?.resources.get(name);
      if (old && old.value === value) {
        resources.set(name, old);
        if (stats) stats.reused++;
        continue;
      }
      try {
        const encoded = encodeResource(kind, name, value);
        if (stats) stats.encoded++;
        resources.set(name, old && old.version === encoded.version ? old : encoded);
      } catch (err) {
        onError(new SnapshotEncodeError(group, kind, name, err as Error));
      }
    }
    const version = typeVersion(resources);
    types[kind] =
      before && before.version === version ? before : { kind, typeUrl: TYPE_URLS[kind], version, resources };
  }
  const version = contentHash(
    (Object.keys(types) as ResourceKind[])
      .sort()
      .map((k) => types[k].version)
      .join(','),
  );
  return { group, types, version };
}
