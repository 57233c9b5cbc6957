// The part of an ADS stream that SotW and delta share: who the node is (from its first request), the
// snapshot subscription of its group, one subscription and ledger per type, deciding what a type lacks,
// recording what went out, and the rules around it (xDS protocol spec + XDS-NOTES.md):
// - names that don't exist are said not to exist at once where the protocol can say it (SotW LDS/CDS: a
//   full-state response without them; delta: removed_resources), so a client need not wait out its
//   does-not-exist timer (15 s), and are remembered and answered when they appear;
// - a name no longer wanted is forgotten, so subscribing to it again is answered at an unchanged version;
// - the first wildcard request of a type is answered even when there is nothing to send;
// - a NACKed version is never re-sent, only a newer one: the ledger counts it as held;
// - after a Cluster changes its ClusterLoadAssignment is sent again (Envoy warms clusters on EDS);
// - types go out CDS -> EDS -> LDS -> RDS (SDS first), at most one pending response per type (ResponseQueue);
// - make before break (make-before-break.ts): a route update waits for the endpoints of the clusters it
//   newly names, and a cluster (or its endpoints) is removed only after the routes that named it were replaced.
// The protocol files (sotw-stream.ts, delta-stream.ts) read requests and build responses; they talk to gRPC
// only through a sink, so the protocol logic is tested with a plain fake.
import type { Subscription } from 'rxjs';
import type { Snapshot, TypeSnapshot } from '../../xds/snapshot';
import type { ResourceKind } from '../../xds/types';
import { KIND_BY_TYPE_URL, PUSH_ORDER } from '../../xds/types';
import type { GroupOf, NodeInfo, XdsNode } from '../node';
import { describeNode } from '../node';
import { changesFor, type TypeChanges } from './changes';
import { TypeLedger, type TypeStatus } from './ledger';
import { ResponseQueue } from './response-queue';
import type { Outgoing, Sink, SnapshotWatch, StreamEvents, TypeState } from './stream-types';
import { TypeSubscription, type SubscriptionChange } from './subscription';
import { clustersInUse, edsName, endpointsAwaited, endpointsInUse, ROUTE_HOLD_MS } from './make-before-break';

export type { Outgoing, Sink, StreamEvents, TypeState } from './stream-types';

export abstract class XdsStream<Request extends { node?: XdsNode; type_url?: string }, Response> {
  private node?: NodeInfo;
  private snapshot?: Snapshot;
  private watching?: Subscription;
  private readonly types = new Map<ResourceKind, TypeState>();
  private readonly queue = new ResponseQueue((kind) => this.answer(kind));
  private nonceCounter = 0;
  private closed = false;
  /** While a route update waits for endpoints: the timer that ends the wait (and whether it has). */
  private routeHold?: { expired: boolean; timer: NodeJS.Timeout };
  readonly openedAt = new Date();
  lastSeen = new Date();

  constructor(
    private readonly sink: Sink<Response>,
    private readonly cache: SnapshotWatch,
    private readonly groupOf: GroupOf,
    private readonly events: StreamEvents = {},
  ) {
    sink.onDrain(() => this.queue.drain());
  }

  get info(): NodeInfo | undefined {
    return this.node;
  }

  status(): TypeStatus[] {
    return this.states().map((s) => s.ledger.status(s.subscription.wildcard, s.subscription.names));
  }

  /**
   * Whether the node ACKed everything it was sent and holds `snapshot`'s versions (the snapshot its group is
   * served from now): clientConverged of this stream's status, at the cost of a few comparisons per type.
   */
  converged(snapshot: Snapshot | undefined): boolean {
    if (!snapshot) return false;
    for (const state of this.types.values())
      if (!state.ledger.upToDate(snapshot.types[state.kind])) return false;
    return true;
  }

  handleRequest(request: Request): void {
    if (this.closed) return;
    this.lastSeen = new Date();
    if (!this.node) {
      this.node = describeNode(request.node, this.groupOf);
      this.watching = this.cache.watch(this.node.group).subscribe((s) => this.onSnapshot(s));
    }
    const kind = request.type_url ? KIND_BY_TYPE_URL.get(request.type_url) : undefined;
    if (!kind) {
      this.events.onRequestError?.(this.node, `unsupported type_url "${request.type_url ?? ''}"`);
      return;
    }
    let state = this.types.get(kind);
    const first = !state;
    if (!state) {
      state = { kind, subscription: new TypeSubscription(kind), ledger: new TypeLedger(kind) };
      this.types.set(kind, state);
    }
    const received = this.receive(state, request, first);
    const change = first ? 'all' : received;
    if (change === 'none') return;
    const { subscription, ledger } = state;
    if (change === 'all') {
      ledger.forget((name) => subscription.wants(name));
      ledger.evaluated = undefined;
    } else {
      // Only names were added: they are looked at (and sent even if held), nothing else changed.
      for (const name of change.added) ledger.force.add(name);
    }
    this.queue.request(kind);
    // Routes the node stopped subscribing to no longer keep their clusters.
    if (kind === 'route') this.recheckLingering('cluster');
  }

  close(): void {
    this.closed = true;
    this.watching?.unsubscribe();
    this.queue.clear();
    this.endRouteHold();
  }

  /** Reads a request's ACK/NACK and subscription change. */
  protected abstract receive(state: TypeState, request: Request, first: boolean): SubscriptionChange;

  /** Whether a response can tell the client that held resources are gone (else they are just forgotten). */
  protected abstract expressesRemoval(kind: ResourceKind): boolean;

  /** The response for these changes; `snapshot` is the type's newest. */
  protected abstract build(
    state: TypeState,
    snapshot: TypeSnapshot,
    changes: TypeChanges,
    nonce: string,
  ): Outgoing<Response>;

  /** Records a client's verdict on a response and reports it. */
  protected settle(
    state: TypeState,
    version: string,
    nonce: string,
    error?: { code?: number; message?: string },
  ) {
    if (error) {
      const nack = state.ledger.recordNack(version, nonce, error);
      if (this.node) this.events.onNack?.(this.node, state.kind, nack);
    } else {
      state.ledger.recordAck(version);
      if (this.node) this.events.onAck?.(this.node, state.kind, version);
    }
    // A held route update stops waiting for clusters the node rejected.
    if (error && state.kind === 'cluster' && this.routeHold) this.queue.request('route');
  }

  protected states(): TypeState[] {
    return PUSH_ORDER.flatMap((kind) => this.types.get(kind) ?? []);
  }

  private onSnapshot(snapshot: Snapshot): void {
    if (this.closed) return;
    this.snapshot = snapshot;
    for (const kind of PUSH_ORDER) if (this.types.has(kind)) this.queue.request(kind);
  }

  private answer(kind: ResourceKind): void {
    if (!this.answerType(kind)) return;
    // What a response may have unblocked: lingering clusters once routes were replaced, lingering endpoints
    // once clusters were, a held route update once endpoints went out.
    if (kind === 'route' || kind === 'cluster')
      this.recheckLingering(kind === 'route' ? 'cluster' : 'endpoint');
    if (kind === 'endpoint' && this.routeHold) this.queue.request('route');
  }

  private recheckLingering(kind: ResourceKind): void {
    if ((this.types.get(kind)?.ledger.lingering.size ?? 0) > 0) this.queue.request(kind);
  }

  /** Computes and sends a type's response; whether one went out. */
  private answerType(kind: ResourceKind): boolean {
    const state = this.types.get(kind);
    const typeSnapshot = this.snapshot?.types[kind];
    if (!state || !typeSnapshot || this.closed) return false;
    const { subscription, ledger } = state;
    // A lingering resource is looked at again each time: back in the snapshot, or maybe no longer in use.
    for (const name of ledger.lingering.keys())
      if (typeSnapshot.resources.has(name)) ledger.lingering.delete(name);
      else ledger.force.add(name);
    if (ledger.evaluated === typeSnapshot && ledger.force.size === 0) return false; // nothing new
    const computed = changesFor(subscription, ledger, typeSnapshot);
    if (kind === 'route' && this.routesWait(computed)) return false;
    const absent = this.expressesRemoval(kind) ? newlyAbsent(state, typeSnapshot) : [];
    const held = this.holdBackRemovals(state, computed);
    const changes = absent.length > 0 ? { ...held, removed: [...held.removed, ...absent] } : held;
    for (const name of absent) ledger.toldAbsent.add(name);
    const before = ledger.apply(changes, typeSnapshot);
    const removals = changes.removed.length > 0 && this.expressesRemoval(kind);
    const mustAnswer = !ledger.answered && subscription.wildcard;
    if (changes.updated.length === 0 && !removals && !mustAnswer) return false;

    const nonce = String(++this.nonceCounter);
    const version = changes.version ?? typeSnapshot.version;
    const out = this.build(state, typeSnapshot, changes, nonce);
    ledger.recordSent(version, nonce);
    if (this.node) this.events.onResponse?.(this.node, kind, version, out.resources);
    if (!this.sink.write(out.response)) this.queue.full();

    // A changed Cluster is warmed again by Envoy, which then waits for its EDS: send it even if unchanged.
    const eds = this.types.get('endpoint');
    if (kind !== 'cluster' || !eds) return true;
    changes.updated.forEach((r, i) => {
      const held = before[i];
      const name = edsName(r);
      if (held !== undefined && held !== r.version && name) eds.ledger.force.add(name);
    });
    if (eds.ledger.force.size > 0) this.queue.request('endpoint');
    return true;
  }

  /**
   * Removals of clusters (endpoints) the node still uses are held back: the resource stays held and lingers
   * (full-state responses keep it, under a version of their own) until a later look finds it unused.
   */
  private holdBackRemovals(state: TypeState, changes: TypeChanges): TypeChanges {
    const { kind, ledger } = state;
    if (changes.removed.length > 0 && (kind === 'cluster' || kind === 'endpoint')) {
      const inUse =
        kind === 'cluster'
          ? clustersInUse(this.types.get('route')?.ledger, this.snapshot?.types.route)
          : endpointsInUse(this.types.get('cluster')?.ledger, this.snapshot?.types.cluster);
      const removed: string[] = [];
      for (const name of changes.removed) {
        const last = ledger.lingering.get(name) ?? ledger.evaluated?.resources.get(name);
        if (last && (inUse === 'all' || inUse.has(name))) ledger.lingering.set(name, last);
        else removed.push(name);
      }
      changes = { ...changes, removed };
    }
    const kept = [...ledger.lingering.values()].filter((r) => !changes.removed.includes(r.name));
    if (kept.length === 0) return changes;
    const version = `${this.snapshot?.types[kind].version ?? ''}+${kept.length}-held`;
    return { ...changes, kept, version };
  }

  /** Whether a route update must wait for endpoints (see make-before-break.ts); arms the deadline if so. */
  private routesWait(changes: TypeChanges): boolean {
    const awaited = endpointsAwaited(
      changes.updated,
      this.types.get('cluster')?.ledger,
      this.snapshot?.types.cluster,
      this.types.get('endpoint')?.ledger,
      this.snapshot?.types.endpoint,
    );
    if (awaited.length === 0 || this.routeHold?.expired) {
      this.endRouteHold();
      return false;
    }
    if (!this.routeHold) {
      const hold = {
        expired: false,
        timer: setTimeout(() => {
          hold.expired = true;
          this.queue.request('route');
        }, ROUTE_HOLD_MS),
      };
      hold.timer.unref();
      this.routeHold = hold;
    }
    return true;
  }

  private endRouteHold(): void {
    if (this.routeHold) clearTimeout(this.routeHold.timer);
    this.routeHold = undefined;
  }
}

/**
 * Wanted names that do not exist and the client was not told so yet: after a subscription change every
 * named one is looked at, otherwise only the names forced (newly added) since.
 */
function newlyAbsent({ subscription, ledger }: TypeState, snapshot: TypeSnapshot): string[] {
  const candidates = ledger.evaluated ? ledger.force : subscription.names;
  const out: string[] = [];
  for (const name of candidates)
    if (
      subscription.wants(name) &&
      !snapshot.resources.has(name) &&
      !ledger.held.has(name) &&
      !ledger.toldAbsent.has(name)
    )
      out.push(name);
  return out;
}
