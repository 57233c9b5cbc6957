// One incremental (delta) ADS stream: per-type subscriptions, what the client holds, nonces, ACK/NACK,
// and which changed resources and removals to send. Like SotwStream it talks to gRPC only through a sink,
// so the protocol logic is testable with a fake; it reads snapshots from the cache.
//
// Rules (xDS protocol spec "Incremental xDS" + XDS-NOTES.md):
// - every resource carries its own version (the snapshot's content hash); a response carries only the
//   resources whose version differs from what the client holds, and `removed_resources` for names it holds
//   that are gone (for its wildcard or explicit subscription);
// - `initial_resource_versions` on a type's first request seeds what the client holds, so a reconnect gets
//   only what changed while it was away and removals of what disappeared;
// - wildcard: "*" in resource_names_subscribe, or an empty first request for LDS/CDS (legacy wildcard);
//   unsubscribing "*" ends it. Explicit names are added/removed by subscribe/unsubscribe;
// - subscribing to a name again re-sends it even at an unchanged version (the client may have forgotten it);
// - names that don't exist yet are remembered and sent when they appear. (The newest spec text lets a server
//   say "does not exist" with a Resource lacking `resource`; clients differ in handling it, so kxds stays
//   silent, as go-control-plane does, and clients fall back to their does-not-exist timer.)
// - the first wildcard request of a type is answered even when there is nothing to send;
// - ACK/NACK are matched by nonce. A NACKed resource version is never sent again; only a newer version is.
//   Requests are never dropped for their nonce: subscription changes in them always apply;
// - after a Cluster changes, its ClusterLoadAssignment is sent again (Envoy warms clusters on EDS);
// - types go out CDS -> EDS -> LDS -> RDS. While the transport is full nothing is computed: the types
//   that changed are marked and, on drain, one response per type is computed from the newest snapshot
//   (newest wins, as in SotW).
import type { Subscription } from 'rxjs';
import type { SnapshotCache } from '../xds/cache';
import type { EncodedResource, Snapshot, TypeSnapshot } from '../xds/snapshot';
import type { ResourceKind } from '../xds/types';
import { FULL_STATE_KINDS, KIND_BY_TYPE_URL, PUSH_ORDER, TYPE_URLS } from '../xds/types';
import type { DeltaDiscoveryRequest, OutgoingDeltaResponse } from './delta-codec';
import type { GroupOf, NodeInfo } from './node';
import { describeNode } from './node';
import { changedNames } from './snapshot-diff';
import type { NackInfo, StreamEvents, TypeStatus } from './sotw-stream';

export interface DeltaResponseSink {
  /** Queues a response; false means the transport is full and `drain` will follow. */
  write(response: OutgoingDeltaResponse): boolean;
  onDrain(listener: () => void): void;
}

/**
 * Per-type status of a delta stream. Same shape as SotW's TypeStatus, read with these differences:
 * `sent` is every resource the client is believed to hold (including those it declared in
 * initial_resource_versions), `sentVersion`/`ackedVersion` are the system_version_info (type version of the
 * snapshot) of the last response sent/ACKed - delta ACKs carry no version, the server maps the nonce back.
 */
export interface DeltaTypeStatus extends TypeStatus {
  protocol: 'delta';
  /** Responses sent and not yet ACKed or NACKed. */
  unacked: number;
}

/** Responses remembered per stream for matching ACKs; a client that never answers can't grow it forever. */
const MAX_UNACKED = 64;

interface InFlight {
  kind: ResourceKind;
  systemVersion: string;
}

interface TypeState {
  kind: ResourceKind;
  wildcard: boolean;
  names: Set<string>;
  /** name -> version the client holds, as far as the server knows. */
  known: Map<string, string>;
  /** Names to send even at the version the client holds (re-subscribed, EDS after its Cluster changed). */
  force: Set<string>;
  /** Whether any response (even an empty one) went out for this type on this stream. */
  answered: boolean;
  /** The type snapshot this state was last brought up to date with (skip work when nothing changed). */
  evaluated?: TypeSnapshot;
  sentVersion?: string;
  sentAt?: Date;
  ackedVersion?: string;
  ackedAt?: Date;
  nack?: NackInfo;
}

export class DeltaStream {
  readonly protocol = 'delta';
  private node?: NodeInfo;
  private snapshot?: Snapshot;
  private subscription?: Subscription;
  private readonly types = new Map<ResourceKind, TypeState>();
  private readonly inFlight = new Map<string, InFlight>();
  /** Types to recompute when the transport drains. */
  private readonly dirty = new Set<ResourceKind>();
  private blocked = false;
  private nonceCounter = 0;
  private closed = false;
  readonly openedAt = new Date();
  lastSeen = new Date();

  constructor(
    private readonly sink: DeltaResponseSink,
    private readonly cache: SnapshotCache,
    private readonly groupOf: GroupOf,
    private readonly events: StreamEvents = {},
  ) {
    sink.onDrain(() => this.flush());
  }

  get info(): NodeInfo | undefined {
    return this.node;
  }

  status(): DeltaTypeStatus[] {
    const unacked = new Map<ResourceKind, number>();
    for (const f of this.inFlight.values()) unacked.set(f.kind, (unacked.get(f.kind) ?? 0) + 1);
    return PUSH_ORDER.flatMap((kind) => {
      const s = this.types.get(kind);
      if (!s) return [];
      return [
        {
          protocol: 'delta' as const,
          kind,
          wildcard: s.wildcard,
          subscribed: [...s.names].sort(),
          sent: s.known,
          unacked: unacked.get(kind) ?? 0,
          ...(s.sentVersion !== undefined ? { sentVersion: s.sentVersion } : {}),
          ...(s.sentAt ? { sentAt: s.sentAt } : {}),
          ...(s.ackedVersion !== undefined ? { ackedVersion: s.ackedVersion } : {}),
          ...(s.ackedAt ? { ackedAt: s.ackedAt } : {}),
          ...(s.nack ? { nack: s.nack } : {}),
        },
      ];
    });
  }

  handleRequest(request: DeltaDiscoveryRequest): void {
    if (this.closed) return;
    this.lastSeen = new Date();
    if (!this.node) {
      this.node = describeNode(request.node, this.groupOf);
      this.subscription = this.cache.watch(this.node.group).subscribe((s) => this.onSnapshot(s));
    }
    const info = this.node;
    const kind = request.type_url ? KIND_BY_TYPE_URL.get(request.type_url) : undefined;
    if (!kind) {
      this.events.onRequestError?.(info, `unsupported type_url "${request.type_url ?? ''}"`);
      return;
    }
    let state = this.types.get(kind);
    const first = !state;
    if (!state) {
      state = {
        kind,
        wildcard: false,
        names: new Set(),
        known: new Map(),
        force: new Set(),
        answered: false,
      };
      this.types.set(kind, state);
    }
    const nonce = request.response_nonce ?? '';
    if (nonce !== '') this.acknowledge(state, nonce, request, info);
    if (first) {
      for (const [name, version] of Object.entries(request.initial_resource_versions ?? {}))
        state.known.set(name, version);
    }
    const subscribe = request.resource_names_subscribe ?? [];
    const unsubscribe = request.resource_names_unsubscribe ?? [];
    const changed = this.updateSubscription(state, subscribe, unsubscribe, first);
    if (changed || first) this.respond(state);
  }

  close(): void {
    this.closed = true;
    this.subscription?.unsubscribe();
    this.dirty.clear();
    this.inFlight.clear();
  }

  private acknowledge(state: TypeState, nonce: string, request: DeltaDiscoveryRequest, info: NodeInfo): void {
    const flight = this.inFlight.get(nonce);
    // An unknown nonce (from a previous stream, or forgotten): nothing to acknowledge.
    if (!flight || flight.kind !== state.kind) return;
    this.inFlight.delete(nonce);
    if (request.error_detail) {
      // The rejected versions stay recorded as "held" so they are not sent again; a newer version will be.
      state.nack = {
        version: flight.systemVersion,
        nonce,
        message: request.error_detail.message ?? `code ${request.error_detail.code ?? 0}`,
        at: new Date(),
      };
      this.events.onNack?.(info, state.kind, state.nack);
    } else {
      state.ackedVersion = flight.systemVersion;
      state.ackedAt = new Date();
      state.nack = undefined;
      this.events.onAck?.(info, state.kind, flight.systemVersion);
    }
  }

  /** Applies subscribe/unsubscribe; returns whether anything may now need sending. */
  private updateSubscription(
    state: TypeState,
    subscribe: readonly string[],
    unsubscribe: readonly string[],
    first: boolean,
  ): boolean {
    let changed = false;
    if (first && subscribe.length === 0 && FULL_STATE_KINDS.has(state.kind)) {
      state.wildcard = true; // legacy wildcard: an empty first LDS/CDS request
      changed = true;
    }
    for (const name of subscribe) {
      changed = true;
      if (name === '*') {
        state.wildcard = true;
        continue;
      }
      // A name subscribed again must be sent again, even unchanged: the client may have dropped it.
      if (state.names.has(name) || (state.wildcard && state.known.has(name))) state.force.add(name);
      state.names.add(name);
    }
    for (const name of unsubscribe) {
      if (name === '*') {
        if (!state.wildcard) continue;
        state.wildcard = false;
        // The client forgets what it held only through the wildcard.
        for (const held of [...state.known.keys()]) if (!state.names.has(held)) state.known.delete(held);
        continue;
      }
      if (!state.names.delete(name)) continue;
      state.force.delete(name);
      if (!state.wildcard) state.known.delete(name);
    }
    if (changed) state.evaluated = undefined;
    return changed;
  }

  private onSnapshot(snapshot: Snapshot): void {
    if (this.closed) return;
    this.snapshot = snapshot;
    for (const kind of PUSH_ORDER) {
      const state = this.types.get(kind);
      if (state) this.respond(state);
    }
  }

  private respond(state: TypeState): void {
    if (this.blocked) {
      this.dirty.add(state.kind);
      return;
    }
    const typeSnapshot = this.snapshot?.types[state.kind];
    if (!typeSnapshot) return;
    if (state.evaluated === typeSnapshot && state.force.size === 0) return; // nothing new for this type
    const resources = typeSnapshot.resources;
    const toSend: EncodedResource[] = [];
    const removed: string[] = [];
    const wanted = (name: string): boolean => state.wildcard || state.names.has(name);
    const consider = (name: string): void => {
      const r = resources.get(name);
      if (r) {
        if (wanted(name) && (state.known.get(name) !== r.version || state.force.has(name))) toSend.push(r);
      } else if (state.known.has(name) && wanted(name)) removed.push(name);
    };
    if (state.evaluated) {
      // Up to date with an earlier snapshot and no subscription change since: only the names that differ
      // between the two snapshots (computed once, shared by every stream) and forced ones can need sending.
      for (const name of changedNames(state.evaluated, typeSnapshot)) consider(name);
      for (const name of state.force) if (resources.has(name)) consider(name);
    } else {
      if (state.wildcard) for (const name of resources.keys()) consider(name);
      else for (const name of state.names) consider(name);
      for (const name of state.known.keys()) if (!resources.has(name)) consider(name);
    }
    dedupe(toSend);
    state.evaluated = typeSnapshot;
    const mustAnswer = !state.answered && state.wildcard;
    if (toSend.length === 0 && removed.length === 0 && !mustAnswer) {
      state.force.clear();
      return;
    }
    // Versions the client held before this response, for the EDS-after-CDS rule below.
    const previous = state.kind === 'cluster' ? toSend.map((r) => state.known.get(r.name)) : undefined;
    for (const r of toSend) state.known.set(r.name, r.version);
    for (const name of removed) state.known.delete(name);
    state.force.clear();
    state.answered = true;
    state.sentVersion = typeSnapshot.version;
    state.sentAt = new Date();
    this.send(state.kind, typeSnapshot.version, toSend, removed);

    if (previous) {
      // A changed Cluster is warmed again by Envoy, which then waits for its EDS: send it even if unchanged.
      const eds = this.types.get('endpoint');
      if (!eds) return;
      toSend.forEach((r, i) => {
        const before = previous[i];
        if (before !== undefined && before !== r.version) eds.force.add(edsName(r));
      });
      if (eds.force.size > 0) this.respond(eds);
    }
  }

  private send(
    kind: ResourceKind,
    systemVersion: string,
    resources: EncodedResource[],
    removed: string[],
  ): void {
    const nonce = String(++this.nonceCounter);
    this.inFlight.set(nonce, { kind, systemVersion });
    if (this.inFlight.size > MAX_UNACKED) {
      const oldest = this.inFlight.keys().next().value;
      if (oldest !== undefined) this.inFlight.delete(oldest);
    }
    const response: OutgoingDeltaResponse = {
      systemVersionInfo: systemVersion,
      typeUrl: TYPE_URLS[kind],
      nonce,
      resources,
      removed: removed.sort(),
    };
    if (this.node) this.events.onResponse?.(this.node, kind, systemVersion, resources.length);
    if (!this.sink.write(response)) this.blocked = true;
  }

  private flush(): void {
    this.blocked = false;
    for (const kind of PUSH_ORDER) {
      if (this.blocked) return;
      if (!this.dirty.delete(kind)) continue;
      const state = this.types.get(kind);
      if (state) this.respond(state);
    }
  }
}

/** A forced name can also be a changed one: send it once. */
function dedupe(resources: EncodedResource[]): void {
  const seen = new Set<string>();
  let w = 0;
  for (const r of resources) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    resources[w++] = r;
  }
  resources.length = w;
}

/** The EDS name a cluster asks for: its eds_cluster_config.service_name, or its own name. */
function edsName(cluster: EncodedResource): string {
  const value = cluster.value as { eds_cluster_config?: { service_name?: string } };
  return value.eds_cluster_config?.service_name || cluster.name;
}
