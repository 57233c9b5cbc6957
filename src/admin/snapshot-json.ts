// A snapshot as JSON for people: every resource decoded from the bytes actually served, in the one JSON shape
// every kxds output uses (the protobuf JSON mapping Envoy's /config_dump prints: nested Anys unpacked with
// "@type", snake_case field names, durations as "5s", wrappers as plain values; see src/xds/proto-json.ts),
// secrets redacted. Also: which groups a role (and namespace) maps to.
import { parseNodeGroupKey } from '../xds/node-group';
import type { NodeRole } from '../server/node';
import { resourceJson } from '../xds/proto-json';
import type { Snapshot } from '../xds/snapshot';
import type { ResourceKind } from '../xds/types';
import { MESSAGE_NAME, PUSH_ORDER, TYPE_URLS } from '../xds/types';

export interface ResourceJson {
  name: string;
  version: string;
  resource: Record<string, unknown>;
}

export interface SnapshotJson {
  group: string;
  version: string;
  types: Partial<Record<ResourceKind, { version: string; resources: ResourceJson[] }>>;
}

/** Decoded once per type snapshot: the status page asks again on every push, snapshots are immutable. */
const decodedCache = new WeakMap<object, ResourceJson[]>();

export function decodedResources(snapshot: Snapshot, kind: ResourceKind): ResourceJson[] {
  const typeSnapshot = snapshot.types[kind];
  let decoded = decodedCache.get(typeSnapshot);
  if (!decoded) {
    decoded = [...typeSnapshot.resources.values()].map((r) => ({
      name: r.name,
      version: r.version,
      // With its "@type", as the resource sits in a DiscoveryResponse, CSDS and Envoy's /config_dump.
      resource: { '@type': TYPE_URLS[kind], ...resourceJson(MESSAGE_NAME[kind], r.messageBytes) },
    }));
    decodedCache.set(typeSnapshot, decoded);
  }
  return decoded;
}

export function snapshotJson(snapshot: Snapshot): SnapshotJson {
  const types: SnapshotJson['types'] = {};
  for (const kind of PUSH_ORDER)
    types[kind] = { version: snapshot.types[kind].version, resources: decodedResources(snapshot, kind) };
  return { group: snapshot.group, version: snapshot.version, types };
}

/** The snapshot groups serving a role: one for edge and proxyless, every variant of a namespace for sidecars. */
export function groupsForRole(groups: readonly string[], role: NodeRole, namespace?: string): string[] {
  return groups.filter((key) => {
    const group = parseNodeGroupKey(key);
    if (group?.kind !== role) return false;
    return group.kind !== 'sidecar' || namespace === undefined || group.namespace === namespace;
  });
}
