// The in-memory model: every watched object, keyed by kind/namespace/name, with the few indexes translation
// needs. The pipeline applies source events to one store; translation reads it through the readonly
// ModelView, synchronously, so it always sees one consistent state.
import {
  objectKey,
  type EndpointSlice,
  type Ingress,
  type IngressClass,
  type Namespace,
  type Pod,
  type Secret,
  type Service,
  type WatchedKind,
  type WatchedObject,
} from './k8s';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

type ByKind = { [K in WatchedKind]: Extract<WatchedObject, { kind: K }> };

export interface ModelView {
  /** Objects of one kind, in key order (translation output must not depend on arrival order). */
  list<K extends WatchedKind>(kind: K): readonly ByKind[K][];
  get<K extends WatchedKind>(kind: K, namespace: string | undefined, name: string): ByKind[K] | undefined;
  /** EndpointSlices labelled for the Service namespace/name, in name order. */
  endpointSlicesFor(namespace: string, service: string): readonly EndpointSlice[];
  /** Namespace names mentioned by any object, sorted. */
  namespaces(): readonly string[];
  size(): number;
}

export class ModelStore implements ModelView {
  private readonly byKind = new Map<WatchedKind, Map<string, WatchedObject>>();
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  private readonly sortedCache = new Map<WatchedKind, readonly WatchedObject[]>();

  /** Inserts or replaces an object; returns false when an identical object was already there. */
  upsert(obj: WatchedObject): boolean {
    const key = objectKey(obj);
    const table = this.table(obj.kind);
    const previous = table.get(key);
    if (previous && sameObject(previous, obj)) return false;
    if (previous?.kind === 'EndpointSlice') this.unindexSlice(previous);
    table.set(key, obj);
    if (obj.kind === 'EndpointSlice') this.indexSlice(obj);
    this.sortedCache.delete(obj.kind);
    return true;
  }

  /** Removes an object; returns false when it was not there. */
  delete(obj: { kind: WatchedKind; metadata: { namespace?: string; name: string } }): boolean {
    const key = objectKey(obj);
    const table = this.table(obj.kind);
    const previous = table.get(key);
    if (!previous) return false;
    table.delete(key);
    if (previous.kind === 'EndpointSlice') this.unindexSlice(previous);
    this.sortedCache.delete(obj.kind);
    return true;
  }

  list<K extends WatchedKind>(kind: K): readonly ByKind[K][] {
    let sorted = this.sortedCache.get(kind);
    if (!sorted) {
      const table = this.table(kind);
      sorted = [...table.keys()].sort().map((k) => table.get(k) as WatchedObject);
      this.sortedCache.set(kind, sorted);
    }
    return sorted as readonly ByKind[K][];
  }

  get<K extends WatchedKind>(kind: K, namespace: string | undefined, name: string): ByKind[K] | undefined {
    return this.table(kind).get(objectKey({ kind, metadata: { namespace, name } })) as ByKind[K] | undefined;
  }

  endpointSlicesFor(namespace: string, service: string): readonly EndpointSlice[] {
    const slices = this.slicesByService.get(`${namespace}/${service}`);
    if (!slices) return [];
    return [...slices.keys()].sort().map((k) => slices.get(k) as EndpointSlice);
  }

  namespaces(): readonly string[] {
    const names = new Set<string>();
    for (const table of this.byKind.values()) {
      for (const obj of table.values()) {
        if (obj.kind === 'Namespace') names.add(obj.metadata.name);
        else if (obj.metadata.namespace) names.add(obj.metadata.namespace);
      }
    }
    return [...names].sort();
  }

  size(): number {
    let n = 0;
    for (const table of this.byKind.values()) n += table.size;
    return n;
  }

  /** Every object, in kind then key order: the serializable form golden tests and `kxds validate` use. */
  objects(): WatchedObject[] {
    const kinds = [...this.byKind.keys()].sort();
    return kinds.flatMap((kind) => [...this.list(kind)]);
  }

  private table(kind: WatchedKind): Map<string, WatchedObject> {
    let table = this.byKind.get(kind);
    if (!table) {
      table = new Map();
      this.byKind.set(kind, table);
    }
    return table;
  }

  private sliceIndexKey(slice: EndpointSlice): string | undefined {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    return service ? `${slice.metadata.namespace ?? ''}/${service}` : undefined;
  }

  private indexSlice(slice: EndpointSlice): void {
    const key = this.sliceIndexKey(slice);
    if (!key) return;
    let slices = this.slicesByService.get(key);
    if (!slices) {
      slices = new Map();
      this.slicesByService.set(key, slices);
    }
    slices.set(slice.metadata.name, slice);
  }

  private unindexSlice(slice: EndpointSlice): void {
    const key = this.sliceIndexKey(slice);
    if (!key) return;
    const slices = this.slicesByService.get(key);
    slices?.delete(slice.metadata.name);
    if (slices?.size === 0) this.slicesByService.delete(key);
  }
}

/** Builds a store from a list of objects (golden tests, `kxds validate`). */
export function modelFrom(objects: Iterable<WatchedObject>): ModelStore {
  const store = new ModelStore();
  for (const obj of objects) store.upsert(obj);
  return store;
}

function sameObject(a: WatchedObject, b: WatchedObject): boolean {
  const rvA = a.metadata.resourceVersion;
  if (rvA !== undefined && rvA === b.metadata.resourceVersion) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

export type { EndpointSlice, Ingress, IngressClass, Namespace, Pod, Secret, Service };
