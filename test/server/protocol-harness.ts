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
import { buildSnapshot } from '../../src/xds/snapshot';
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

export function protocolClient(protocol: ProtocolName, events: StreamEvents = {}): ProtocolClient {
  const cache = new SnapshotCache();
  const responses: Received[] = [];
  const held = new Map<ResourceKind, Map<string, Record<string, unknown>>>();
  const names = new Map<ResourceKind, Set<string>>();
  const accepted = new Map<ResourceKind, string>();
  let full = false;
  let drain: () => void = () => {};
  let sentNode = false;

  const receive = (r: Received): boolean => {
    responses.push(r);
    const mine = held.get(r.kind) ?? new Map<string, Record<string, unknown>>();
    if (protocol === 'sotw' && FULL_STATE_KINDS.has(r.kind)) mine.clear();
    for (const [name, value] of r.values) mine.set(name, value);
    for (const name of r.removed) mine.delete(name);
    held.set(r.kind, mine);
    return !full;
  };
  const sink = <T>(read: (response: T) => Received) => ({
    write: (response: T) => receive(read(response)),
    onDrain: (listener: () => void) => (drain = listener),
  });
  const withNode = <T extends object>(request: T): T => {
    if (sentNode) return request;
    sentNode = true;
    return { ...request, node };
  };
  const lastOf = (kind?: ResourceKind): Received => {
    const found = [...responses].reverse().find((r) => kind === undefined || r.kind === kind);
    assert.ok(found, `a ${kind ?? 'any'} response`);
    return found;
  };
  const namesOf = (kind: ResourceKind) => names.get(kind) ?? names.set(kind, new Set()).get(kind)!;

  let request: (kind: ResourceKind, change: { subscribe?: string[]; unsubscribe?: string[] }) => void;
  let reply: (kind: ResourceKind, error?: string) => void;
  let stream: SotwStream | DeltaStream;

  if (protocol === 'sotw') {
    const sotw = new SotwStream(sink(readSotw), cache, () => GROUP_PROXYLESS, events);
    stream = sotw;
    const last = (kind: ResourceKind) => responses.filter((r) => r.kind === kind).at(-1);
    const send = (kind: ResourceKind, extra: { version_info?: string; error_detail?: { message: string } }) =>
      sotw.handleRequest(
        withNode({
          type_url: TYPE_URLS[kind],
          resource_names: [...namesOf(kind)],
          response_nonce: last(kind)?.nonce ?? '',
          version_info: accepted.get(kind) ?? '',
          ...extra,
        }),
      );
    request = (kind, change) => {
      for (const name of change.subscribe ?? []) namesOf(kind).add(name);
      for (const name of change.unsubscribe ?? []) namesOf(kind).delete(name);
      send(kind, {});
    };
    reply = (kind, error) => {
      const r = lastOf(kind);
      if (!error) accepted.set(kind, r.version);
      send(kind, error ? { error_detail: { message: error } } : {});
    };
  } else {
    const delta = new DeltaStream(sink(readDelta), cache, () => GROUP_PROXYLESS, events);
    stream = delta;
    request = (kind, change) =>
      delta.handleRequest(
        withNode({
          type_url: TYPE_URLS[kind],
          resource_names_subscribe: change.subscribe ?? [],
          resource_names_unsubscribe: change.unsubscribe ?? [],
        }),
      );
    reply = (kind, error) =>
      delta.handleRequest({
        type_url: TYPE_URLS[kind],
        response_nonce: lastOf(kind).nonce,
        ...(error ? { error_detail: { message: error } } : {}),
      });
  }

  return {
    protocol,
    responses,
    status: () => stream.status(),
    publish: (...objects) => {
      const set = translate(modelFrom(objects)).groups.get(GROUP_PROXYLESS);
      assert.ok(set);
      cache.setSnapshot(buildSnapshot(GROUP_PROXYLESS, set, cache.getSnapshot(GROUP_PROXYLESS)));
    },
    wildcard: (kind) => request(kind, {}),
    subscribe: (kind, list) => request(kind, { subscribe: list }),
    unsubscribe: (kind, list) => request(kind, { unsubscribe: list }),
    ack: (kind) => reply(kind),
    requestType: (typeUrl) => stream.handleRequest(withNode({ type_url: typeUrl })),
    nack: (kind, message) => reply(kind, message),
    held: (kind) => new Map(held.get(kind) ?? []),
    last: lastOf,
    setFull: (f) => (full = f),
    drain: () => drain(),
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
