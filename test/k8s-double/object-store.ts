// The state of the API server double: objects, one global resourceVersion counter (as etcd's revision), and
// the change history that watches replay from. compact() forgets history, so watches from older versions
// get 410 Expired, as after an etcd compaction.
import { randomUUID } from 'node:crypto';
import { apiVersionOf, findByKind, RESOURCE_TYPES, type ResourceType } from './resources';
import type { StoredObject } from './selectors';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeEvent {
  rv: number;
  eventType: WatchEventType;
  resource: ResourceType;
  object: StoredObject;
}

export class StoreError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface WriteOptions {
  /** Change the object without recording or announcing it: a watch event lost in transit. */
  silent?: boolean;
}

function storeKey(resource: ResourceType, namespace: string | undefined, name: string): string {
  return `${apiVersionOf(resource)}|${resource.kind}|${namespace ?? ''}|${name}`;
}

export class ObjectStore {
  private rv = 1000;
  private compactedRv = 0;
  private readonly objects = new Map<string, { resource: ResourceType; object: StoredObject }>();
  private history: ChangeEvent[] = [];
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  get currentRv(): number {
    return this.rv;
  }

  get oldestWatchableRv(): number {
    return this.compactedRv;
  }

  /** The resource types served; tests add CRDs at run time. */
  readonly types: ResourceType[] = [...RESOURCE_TYPES];

  resourceOf(obj: { apiVersion?: string; kind?: string }): ResourceType {
    const resource = findByKind(obj.apiVersion ?? '', obj.kind ?? '', this.types);
    if (!resource) throw new StoreError(400, 'BadRequest', `unknown kind ${obj.apiVersion}/${obj.kind}`);
    return resource;
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    const entry = this.objects.get(storeKey(resource, resource.namespaced ? namespace : undefined, name));
    return entry ? structuredClone(entry.object) : undefined;
  }

  /** Objects of one type, sorted by namespace/name (the order continue tokens rely on). */
  list(resource: ResourceType): StoredObject[] {
    const out: StoredObject[] = [];
    for (const entry of this.objects.values()) {
      if (entry.resource === resource) out.push(structuredClone(entry.object));
    }
    return out.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }

  create(input: StoredObject, options: WriteOptions = {}): StoredObject {
    const resource = this.resourceOf(input);
    const object = structuredClone(input);
    const meta = object.metadata;
    if (!meta.name && typeof meta['generateName'] === 'string') {
      meta.name = `${meta['generateName']}${randomUUID().slice(0, 5)}`;
    }
    if (!meta.name) throw new StoreError(422, 'Invalid', 'metadata.name: Required value');
    if (resource.namespaced && !meta.namespace) meta.namespace = 'default';
    if (!resource.namespaced) delete meta.namespace;
    const key = storeKey(resource, meta.namespace, meta.name);
    if (this.objects.has(key)) {
      throw new StoreError(409, 'AlreadyExists', `${resource.plural} "${meta.name}" already exists`);
    }
    meta['uid'] = randomUUID();
    meta['creationTimestamp'] = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    // Custom resources always carry a generation (built-in kinds vary; the double leaves theirs alone).
    if (resource.group === 'gateway.networking.k8s.io') meta['generation'] = 1;
    return this.commit(key, resource, object, 'ADDED', options);
  }

  /** Replaces an object. A resourceVersion in the input must match the stored one (optimistic locking). */
  update(input: StoredObject, options: WriteOptions = {}): StoredObject {
    const resource = this.resourceOf(input);
    const object = structuredClone(input);
    const key = storeKey(
      resource,
      resource.namespaced ? object.metadata.namespace : undefined,
      object.metadata.name,
    );
    const existing = this.objects.get(key);
    if (!existing) throw notFound(resource, object.metadata.name);
    const expectedRv = object.metadata.resourceVersion;
    if (expectedRv && expectedRv !== existing.object.metadata.resourceVersion) {
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource.plural} "${object.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    object.metadata['uid'] = existing.object.metadata['uid'];
    object.metadata['creationTimestamp'] = existing.object.metadata['creationTimestamp'];
    // As the API server does for custom resources: generation counts changes of everything but status.
    const previous = existing.object.metadata['generation'];
    if (typeof previous === 'number') {
      const { status: _old, metadata: _m1, ...before } = existing.object;
      const { status: _new, metadata: _m2, ...after } = object;
      object.metadata['generation'] =
        JSON.stringify(before) === JSON.stringify(after) ? previous : previous + 1;
    }
    if (!resource.namespaced) delete object.metadata.namespace;
    return this.commit(key, resource, object, 'MODIFIED', options);
  }

  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions = {},
  ): StoredObject {
    const key = storeKey(resource, resource.namespaced ? namespace : undefined, name);
    const existing = this.objects.get(key);
    if (!existing) throw notFound(resource, name);
    this.objects.delete(key);
    const object = structuredClone(existing.object);
    object.metadata.resourceVersion = String(++this.rv);
    if (!options.silent) this.record({ rv: this.rv, eventType: 'DELETED', resource, object });
    return structuredClone(object);
  }

  /** Forgets all history: watches and continue tokens from before now get 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = [];
  }

  /** Recorded changes after `sinceRv`; undefined when that version was compacted away. */
  changesSince(sinceRv: number): ChangeEvent[] | undefined {
    if (sinceRv < this.compactedRv) return undefined;
    return this.history.filter((event) => event.rv > sinceRv);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private commit(
    key: string,
    resource: ResourceType,
    object: StoredObject,
    eventType: WatchEventType,
    options: WriteOptions,
  ): StoredObject {
    object.apiVersion = apiVersionOf(resource);
    object.kind = resource.kind;
    object.metadata.resourceVersion = String(++this.rv);
    this.objects.set(key, { resource, object });
    if (!options.silent) this.record({ rv: this.rv, eventType, resource, object: structuredClone(object) });
    return structuredClone(object);
  }

  private record(event: ChangeEvent): void {
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }
}

function sortKey(obj: StoredObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

function notFound(resource: ResourceType, name: string): StoreError {
  const group = resource.group ? `.${resource.group}` : '';
  return new StoreError(404, 'NotFound', `${resource.plural}${group} "${name}" not found`);
}
