// One test client for both wire protocols: a scenario subscribes, ACKs, NACKs and reads what the client
// holds the same way over SotW and delta, so each protocol test is written once and run against both
// (test/server/stream-protocols.test.ts). The stream is driven in-process through a fake sink, which lets a
// test make the transport report "full" and drain it.
import assert from 'node:assert/strict';
import { SotwStream } from '../../src/server/sotw-stream';
import { DeltaStream } from '../../src/server/delta-stream';
import type { OutgoingResponse } from '../../src/server/discovery-codec';
import type { OutgoingDeltaResponse } from '../../src/server/delta-codec';
import type { StreamEvents, TypeStatus } from '../../src/server/sotw-stream';
import { SnapshotCache } from '../../src/xds/cache';
import { PROXYLESS_GROUP } from '../../src/xds/node-group';
import { buildSnapshot, type Snapshot } from '../../src/xds/snapshot';
import { FULL_STATE_KINDS, KIND_BY_TYPE_URL, TYPE_URLS, type ResourceKind } from '../../src/xds/types';
import { modelFrom } from '../../src/model/store';
import { translate, GROUP_PROXYLESS } from '../../src/translate/translate';
import type { WatchedObject } from '../../src/model/k8s';
import { decodeAnyBytes, resourceName } from '../helpers/xds-decode';

export type ProtocolName = 'sotw' | 'delta';
export const PROTOCOLS: readonly ProtocolName[] = ['sotw', 'delta'];

/** One response as the client read it, whichever protocol carried it. */
export interface Received {
  kind: ResourceKind;
  nonce: string;
  version: string;
  names: string[];
  removed: string[];
  /** Decoded resources by name. */
  values: Map<string, Record<string, unknown>>;
}

export interface ProtocolClient {
  readonly protocol: ProtocolName;
  readonly responses: Received[];
  status(): TypeStatus[];
  /** The stream under test and the snapshot its group is served from now. */
  readonly stream: SotwStream | DeltaStream;
  snapshot(): Snapshot | undefined;
  /** Publishes a snapshot of the proxyless group translated from these objects. */
  publish(...objects: WatchedObject[]): void;
  /** The legacy wildcard: an empty first request (LDS, CDS). */
  wildcard(kind: ResourceKind): void;
  subscribe(kind: ResourceKind, names: string[]): void;
  unsubscribe(kind: ResourceKind, names: string[]): void;
  ack(kind: ResourceKind): void;
  /** A first request of any type URL (for types kxds does not serve). */
  requestType(typeUrl: string): void;
  nack(kind: ResourceKind, message: string): void;
  /** What the client holds of a type after every response so far (SotW full-state types are replaced). */
  held(kind: ResourceKind): Map<string, Record<string, unknown>>;
  last(kind?: ResourceKind): Received;
  setFull(full: boolean): void;
  drain(): void;
  close(): void;
}

const node = { id: 'n1', user_agent_name: 'gRPC Node' };

/** A stream of either protocol on a fake sink, fed snapshots of the proxyless group translated from objects. */
export function streamFixture<S, R>(
  make: (sink: { write(r: R): boolean; onDrain(l: () => void): void }, cache: SnapshotCache) => S,
  onWrite: (response: R) => void = () => {},
) {
  const cache = new SnapshotCache();
  const sent: R[] = [];
  let full = false;
  let drain: () => void = () => {};
  const stream = make(
    { write: (r) => (sent.push(r), onWrite(r), !full), onDrain: (listener) => (drain = listener) },
    cache,
  );
  return {
    stream,
    cache,
    sent,
    publish: (...objects: WatchedObject[]) => {
      const set = translate(modelFrom(objects)).groups.get(GROUP_PROXYLESS);
      assert.ok(set);
      cache.setSnapshot(buildSnapshot(GROUP_PROXYLESS, set, cache.getSnapshot(GROUP_PROXYLESS)));
    },
    /** While full, every write reports that the transport is full. */
    setFull: (f: boolean) => (full = f),
    drain: () => drain(),
    last: (): R => {
      const r = sent.at(-1);
      assert.ok(r, 'a response');
      return r;
    },
  };
}

/** How one protocol's client asks, answers and reads; protocolClient() adds what the scenarios share. */
interface Wire {
  stream: SotwStream | DeltaStream;
  fixture: {
    cache: SnapshotCache;
    publish(...objects: WatchedObject[]): void;
    setFull(f: boolean): void;
    drain(): void;
  };
  request(kind: ResourceKind, change: { subscribe?: string[]; unsubscribe?: string[] }): void;
  reply(kind: ResourceKind, error?: string): void;
}

interface ClientState {
  events: StreamEvents;
  responses: Received[];
  receive(r: Received): void;
  withNode<T extends object>(request: T): T;
  lastOf(kind?: ResourceKind): Received;
}

/** SotW: every request repeats the whole name list, the newest nonce and the last accepted version. */
function sotwWire(c: ClientState): Wire {
  const names = new Map<ResourceKind, Set<string>>();
  const accepted = new Map<ResourceKind, string>();
  const fixture = streamFixture<SotwStream, OutgoingResponse>(
    (sink, cache) => new SotwStream(sink, cache, () => PROXYLESS_GROUP, c.events),
    (r) => c.receive(readSotw(r)),
  );
  const namesOf = (kind: ResourceKind): Set<string> => {
    const set = names.get(kind) ?? new Set<string>();
    names.set(kind, set);
    return set;
  };
  const send = (kind: ResourceKind, error?: string) =>
    fixture.stream.handleRequest(
      c.withNode({
        type_url: TYPE_URLS[kind],
        resource_names: [...namesOf(kind)],
        response_nonce: c.responses.filter((r) => r.kind === kind).at(-1)?.nonce ?? '',
        version_info: accepted.get(kind) ?? '',
        ...(error ? { error_detail: { message: error } } : {}),
      }),
    );
  return {
    stream: fixture.stream,
    fixture,
    request: (kind, change) => {
      for (const name of change.subscribe ?? []) namesOf(kind).add(name);
      for (const name of change.unsubscribe ?? []) namesOf(kind).delete(name);
      send(kind);
    },
    reply: (kind, error) => {
      if (!error) accepted.set(kind, c.lastOf(kind).version);
      send(kind, error);
    },
  };
}

/** Delta: requests carry only what changed; ACKs and NACKs name the response by nonce. */
function deltaWire(c: ClientState): Wire {
  const fixture = streamFixture<DeltaStream, OutgoingDeltaResponse>(
    (sink, cache) => new DeltaStream(sink, cache, () => PROXYLESS_GROUP, c.events),
    (r) => c.receive(readDelta(r)),
  );
  return {
    stream: fixture.stream,
    fixture,
    request: (kind, change) =>
      fixture.stream.handleRequest(
        c.withNode({
          type_url: TYPE_URLS[kind],
          resource_names_subscribe: change.subscribe ?? [],
          resource_names_unsubscribe: change.unsubscribe ?? [],
        }),
      ),
    reply: (kind, error) =>
      fixture.stream.handleRequest({
        type_url: TYPE_URLS[kind],
        response_nonce: c.lastOf(kind).nonce,
        ...(error ? { error_detail: { message: error } } : {}),
      }),
  };
}

export function protocolClient(protocol: ProtocolName, events: StreamEvents = {}): ProtocolClient {
  const responses: Received[] = [];
  const held = new Map<ResourceKind, Map<string, Record<string, unknown>>>();
  let sentNode = false;
  const state: ClientState = {
    events,
    responses,
    receive: (r) => {
      responses.push(r);
      const mine = held.get(r.kind) ?? new Map<string, Record<string, unknown>>();
      if (protocol === 'sotw' && FULL_STATE_KINDS.has(r.kind)) mine.clear();
      for (const [name, value] of r.values) mine.set(name, value);
      for (const name of r.removed) mine.delete(name);
      held.set(r.kind, mine);
    },
    withNode: <T extends object>(request: T): T => {
      if (sentNode) return request;
      sentNode = true;
      return { ...request, node };
    },
    lastOf: (kind) => {
      const found = [...responses].reverse().find((r) => kind === undefined || r.kind === kind);
      assert.ok(found, `a ${kind ?? 'any'} response`);
      return found;
    },
  };
  const { stream, fixture, request, reply } = protocol === 'sotw' ? sotwWire(state) : deltaWire(state);
  return {
    protocol,
    responses,
    status: () => stream.status(),
    stream,
    snapshot: () => fixture.cache.getSnapshot(GROUP_PROXYLESS),
    publish: (...objects) => fixture.publish(...objects),
    wildcard: (kind) => request(kind, {}),
    subscribe: (kind, list) => request(kind, { subscribe: list }),
    unsubscribe: (kind, list) => request(kind, { unsubscribe: list }),
    ack: (kind) => reply(kind),
    nack: (kind, message) => reply(kind, message),
    requestType: (typeUrl) => stream.handleRequest(state.withNode({ type_url: typeUrl })),
    held: (kind) => new Map(held.get(kind) ?? []),
    last: state.lastOf,
    setFull: (f) => fixture.setFull(f),
    drain: () => fixture.drain(),
    close: () => stream.close(),
  };
}

function kindOf(typeUrl: string): ResourceKind {
  const kind = KIND_BY_TYPE_URL.get(typeUrl);
  assert.ok(kind, typeUrl);
  return kind;
}

function readSotw(r: OutgoingResponse): Received {
  const values = new Map(
    r.resources.map((bytes) => {
      const value = decodeAnyBytes(bytes).value;
      return [resourceName(value), value] as const;
    }),
  );
  return {
    kind: kindOf(r.typeUrl),
    nonce: r.nonce,
    version: r.versionInfo,
    names: [...values.keys()],
    removed: [],
    values,
  };
}

function readDelta(r: OutgoingDeltaResponse): Received {
  const values = new Map(r.resources.map((x) => [x.name, decodeAnyBytes(x.anyBytes).value] as const));
  return {
    kind: kindOf(r.typeUrl),
    nonce: r.nonce,
    version: r.systemVersionInfo,
    names: [...values.keys()],
    removed: [...r.removed],
    values,
  };
}
