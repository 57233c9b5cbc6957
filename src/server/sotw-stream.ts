// One state-of-the-world ADS stream: subscriptions per type, nonces, ACK/NACK, and deciding when to answer.
// It talks to gRPC only through ResponseSink, so the protocol logic is tested with a plain fake.
//
// Rules (xDS protocol spec + XDS-NOTES.md):
// - a request whose nonce is not the newest sent for its type is stale and ignored;
// - a NACK is recorded and logged; the rejected content is never re-sent, only newer content is;
// - a response goes out when the content for the stream's subscription differs from what it was last sent,
//   or when it subscribes to names it was not sent yet (even at an unchanged version);
// - names that don't exist yet are remembered and answered when they appear;
// - after a Cluster changes its ClusterLoadAssignment is sent again (Envoy warms clusters on EDS);
// - types go out CDS -> EDS -> LDS -> RDS; while the transport is full, at most one response per type
//   waits, and a newer one replaces it.
import type { Subscription } from 'rxjs';
import type { SnapshotCache } from '../xds/cache';
import type { EncodedResource, Snapshot } from '../xds/snapshot';
import type { ResourceKind } from '../xds/types';
import { FULL_STATE_KINDS, KIND_BY_TYPE_URL, PUSH_ORDER, TYPE_URLS } from '../xds/types';
import type { DiscoveryRequest, OutgoingResponse } from './discovery-codec';
import type { GroupOf, NodeInfo } from './node';
import { describeNode } from './node';

export interface ResponseSink {
  /** Queues a response; false means the transport is full and `drain` will follow. */
  write(response: OutgoingResponse): boolean;
  onDrain(listener: () => void): void;
}

export interface NackInfo {
  version: string;
  nonce: string;
  message: string;
  at: Date;
}

/** What the stream knows about one resource type; read by CSDS, the admin API and the status page. */
export interface TypeStatus {
  kind: ResourceKind;
  wildcard: boolean;
  subscribed: string[];
  /** name -> resource version last sent. */
  sent: ReadonlyMap<string, string>;
  sentVersion?: string;
  sentAt?: Date;
  ackedVersion?: string;
  ackedAt?: Date;
  nack?: NackInfo;
}

export interface StreamEvents {
  onRequestError?(info: NodeInfo | undefined, message: string): void;
  onResponse?(info: NodeInfo, kind: ResourceKind, version: string, resources: number): void;
  onAck?(info: NodeInfo, kind: ResourceKind, version: string): void;
  onNack?(info: NodeInfo, kind: ResourceKind, nack: NackInfo): void;
}

interface TypeState {
  kind: ResourceKind;
  wildcard: boolean;
  names: Set<string>;
  sent: Map<string, string>;
  sentVersion?: string;
  sentAt?: Date;
  lastNonce?: string;
  ackedVersion?: string;
  ackedAt?: Date;
  nack?: NackInfo;
  /** Names to send again even if unchanged (EDS after its Cluster changed). */
  force: Set<string>;
}

export class SotwStream {
  private node?: NodeInfo;
  private snapshot?: Snapshot;
  private subscription?: Subscription;
  private readonly types = new Map<ResourceKind, TypeState>();
  private readonly pending = new Map<ResourceKind, Omit<OutgoingResponse, 'nonce'>>();
  private blocked = false;
  private nonceCounter = 0;
  private closed = false;
  readonly openedAt = new Date();
  lastSeen = new Date();

  constructor(
    private readonly sink: ResponseSink,
    private readonly cache: SnapshotCache,
    private readonly groupOf: GroupOf,
    private readonly events: StreamEvents = {},
  ) {
    sink.onDrain(() => this.flush());
  }

  get info(): NodeInfo | undefined {
    return this.node;
  }

  status(): TypeStatus[] {
    return PUSH_ORDER.flatMap((kind) => {
      const s = this.types.get(kind);
      if (!s) return [];
      return [
        {
          kind,
          wildcard: s.wildcard,
          subscribed: [...s.names].sort(),
          sent: s.sent,
          ...(s.sentVersion !== undefined ? { sentVersion: s.sentVersion } : {}),
          ...(s.sentAt ? { sentAt: s.sentAt } : {}),
          ...(s.ackedVersion !== undefined ? { ackedVersion: s.ackedVersion } : {}),
          ...(s.ackedAt ? { ackedAt: s.ackedAt } : {}),
          ...(s.nack ? { nack: s.nack } : {}),
        },
      ];
    });
  }

  handleRequest(request: DiscoveryRequest): void {
    if (this.closed) return;
    this.lastSeen = new Date();
    if (!this.node) {
      this.node = describeNode(request.node, this.groupOf);
      this.subscription = this.cache
        .watch(this.node.group)
        .subscribe((snapshot) => this.onSnapshot(snapshot));
    }
    const info = this.node;
    const kind = request.type_url ? KIND_BY_TYPE_URL.get(request.type_url) : undefined;
    if (!kind) {
      this.events.onRequestError?.(info, `unsupported type_url "${request.type_url ?? ''}"`);
      return;
    }
    const nonce = request.response_nonce ?? '';
    let state = this.types.get(kind);
    const first = !state;
    if (!state) {
      state = { kind, wildcard: false, names: new Set(), sent: new Map(), force: new Set() };
      this.types.set(kind, state);
    }
    if (nonce !== '' && state.lastNonce !== undefined && nonce !== state.lastNonce) return; // stale
    if (nonce !== '' && nonce === state.lastNonce) {
      if (request.error_detail) {
        state.nack = {
          version: state.sentVersion ?? '',
          nonce,
          message: request.error_detail.message ?? `code ${request.error_detail.code ?? 0}`,
          at: new Date(),
        };
        this.events.onNack?.(info, kind, state.nack);
      } else {
        state.ackedVersion = request.version_info ?? '';
        state.ackedAt = new Date();
        state.nack = undefined;
        this.events.onAck?.(info, kind, state.ackedVersion);
      }
    }
    this.updateSubscription(state, request.resource_names ?? [], first);
    this.respond(state);
  }

  close(): void {
    this.closed = true;
    this.subscription?.unsubscribe();
    this.pending.clear();
  }

  private updateSubscription(state: TypeState, names: string[], first: boolean): void {
    const explicit = names.filter((n) => n !== '*');
    if (FULL_STATE_KINDS.has(state.kind)) {
      // Legacy wildcard: an empty first request. Once names were sent, only "*" keeps the wildcard.
      state.wildcard = names.includes('*') || (names.length === 0 && (first || state.wildcard));
    }
    state.names = new Set(explicit);
  }

  private onSnapshot(snapshot: Snapshot): void {
    if (this.closed) return;
    this.snapshot = snapshot;
    for (const kind of PUSH_ORDER) {
      const state = this.types.get(kind);
      if (state) this.respond(state);
    }
  }

  /** The resources this stream should hold for a type right now. */
  private content(state: TypeState): EncodedResource[] {
    const resources = this.snapshot?.types[state.kind].resources;
    if (!resources) return [];
    if (state.wildcard) return [...resources.values()];
    const out: EncodedResource[] = [];
    for (const name of [...state.names].sort()) {
      const r = resources.get(name);
      if (r) out.push(r);
    }
    return out;
  }

  private respond(state: TypeState): void {
    const typeSnapshot = this.snapshot?.types[state.kind];
    if (!typeSnapshot) return;
    const content = this.content(state);
    const fullState = FULL_STATE_KINDS.has(state.kind);
    const neverSent = state.sentVersion === undefined;
    let changed = content.some((r) => state.sent.get(r.name) !== r.version || state.force.has(r.name));
    if (!changed && fullState && !neverSent) {
      // A subscribed resource that went away: full-state types express deletion by leaving it out.
      const present = new Set(content.map((r) => r.name));
      changed = [...state.sent.keys()].some((n) => !present.has(n) && (state.wildcard || state.names.has(n)));
    }
    if (neverSent && content.length === 0) {
      // Nothing to say yet: hold until the names appear. A wildcard subscriber is told the (empty) state.
      if (!(state.wildcard && fullState)) return;
      changed = true;
    }
    if (!changed) return;
    if (!fullState && content.length === 0) return; // RDS/EDS can't express deletion; say nothing.

    const previous = state.sent;
    state.sent = new Map(content.map((r) => [r.name, r.version]));
    state.sentVersion = typeSnapshot.version;
    state.sentAt = new Date();
    state.force.clear();
    this.enqueue(state.kind, {
      versionInfo: typeSnapshot.version,
      typeUrl: TYPE_URLS[state.kind],
      resources: content.map((r) => r.anyBytes),
    });
    if (this.node) this.events.onResponse?.(this.node, state.kind, typeSnapshot.version, content.length);

    if (state.kind === 'cluster') {
      const eds = this.types.get('endpoint');
      if (eds) {
        for (const r of content)
          if (previous.get(r.name) !== r.version && previous.has(r.name)) eds.force.add(edsName(r));
        if (eds.force.size > 0) this.respond(eds);
      }
    }
  }

  private enqueue(kind: ResourceKind, response: Omit<OutgoingResponse, 'nonce'>): void {
    if (this.blocked) {
      this.pending.set(kind, response);
      return;
    }
    this.send(kind, response);
  }

  private send(kind: ResourceKind, response: Omit<OutgoingResponse, 'nonce'>): void {
    const state = this.types.get(kind);
    const nonce = String(++this.nonceCounter);
    if (state) state.lastNonce = nonce;
    if (!this.sink.write({ ...response, nonce })) this.blocked = true;
  }

  private flush(): void {
    this.blocked = false;
    for (const kind of PUSH_ORDER) {
      if (this.blocked) return;
      const response = this.pending.get(kind);
      if (!response) continue;
      this.pending.delete(kind);
      this.send(kind, response);
    }
  }
}

/** The EDS name a cluster asks for: its eds_cluster_config.service_name, or its own name. */
function edsName(cluster: EncodedResource): string {
  const value = cluster.value as { eds_cluster_config?: { service_name?: string } };
  return value.eds_cluster_config?.service_name || cluster.name;
}
