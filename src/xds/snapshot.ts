// A snapshot: the encoded resources of one node group, with a content-hash version per resource and per
// type. Every resource is encoded once here and its bytes are shared by every stream that sends it. A
// resource whose typed object is unchanged since the previous snapshot keeps its bytes and version.
import { createHash } from 'node:crypto';
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
  const encoded = encodeMessage(MESSAGE_NAME[kind], value);
  const anyBytes = encodeAny(typeUrlOf(MESSAGE_NAME[kind]), encoded);
  return {
    name,
    version: contentHash(encoded),
    anyBytes,
    // The message is the tail of its Any envelope: a view, not a second copy of the bytes.
    messageBytes: anyBytes.subarray(anyBytes.length - encoded.length),
    value,
  };
}

/** Counts of one or more builds: how many resources were encoded and how many kept their bytes. */
export interface SnapshotBuildStats {
  encoded: number;
  reused: number;
}

/** Hash of every (name, version); `resources` is always in name order (buildSnapshot keeps it sorted). */
function typeVersion(resources: ReadonlyMap<string, EncodedResource>): string {
  const hash = createHash('sha256');
  let separator = '';
  for (const r of resources.values()) {
    hash.update(`${separator}${r.name}\u0000${r.version}`);
    separator = '\n';
  }
  return hash.digest('hex').slice(0, 16);
}

function hasAllNames(before: TypeSnapshot, values: ReadonlyMap<string, object>): boolean {
  for (const name of values.keys()) if (!before.resources.has(name)) return false;
  return true;
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
    const values = set[kind] as ReadonlyMap<string, object>;
    const resources = new Map<string, EncodedResource>();
    // Most builds change a handful of resources out of thousands: when the names are the ones of the
    // previous snapshot, walk them in its (already sorted) order instead of sorting again, and when no
    // resource changed keep the previous type snapshot without hashing its version again.
    const sameNames =
      before !== undefined && before.resources.size === values.size && hasAllNames(before, values);
    const names = sameNames ? before.resources.keys() : [...values.keys()].sort();
    let changed = !sameNames;
    for (const name of names) {
      const value = values.get(name) as object;
      const old = before?.resources.get(name);
      if (old && old.value === value) {
        resources.set(name, old);
        if (stats) stats.reused++;
        continue;
      }
      try {
        const encoded = encodeResource(kind, name, value);
        if (stats) stats.encoded++;
        const kept = old && old.version === encoded.version ? old : encoded;
        if (kept !== old) changed = true;
        resources.set(name, kept);
      } catch (err) {
        changed = true;
        onError(new SnapshotEncodeError(group, kind, name, err as Error));
      }
    }
    if (before && !changed) {
      types[kind] = before;
      continue;
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
