// Per-type bookkeeping of one stream, the same for SotW and delta: which version of each resource the client
// holds as far as the server knows, what must go out again regardless, the last response's nonce and version,
// and what the client said about it (ACK or NACK). Versions are the snapshot's own strings: a stream holds
// references, never copies of snapshot data.
import type { EncodedResource, TypeSnapshot } from '../../xds/snapshot';
import type { ResourceKind } from '../../xds/types';
import type { TypeChanges } from './changes';

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
  /** name -> resource version the client holds (as sent, or as a delta client declared on reconnect). */
  sent: ReadonlyMap<string, string>;
  sentVersion?: string;
  sentAt?: Date;
  ackedVersion?: string;
  ackedAt?: Date;
  nack?: NackInfo;
}

export class TypeLedger {
  /** name -> version the client holds. Only wanted names stay here (see forget). */
  readonly held = new Map<string, string>();
  /** Names to send even at the version held (delta re-subscription, EDS after its Cluster changed). */
  readonly force = new Set<string>();
  /**
   * Held resources gone from the snapshot whose removal waits until the node no longer uses them (see
   * make-before-break.ts), as last sent: full-state responses keep carrying them meanwhile.
   */
  readonly lingering = new Map<string, EncodedResource>();
  /**
   * Wanted names the client was told do not exist (a full-state response without them, or delta's
   * removed_resources): said once, not in every later response; forgotten when sent or no longer wanted.
   */
  readonly toldAbsent = new Set<string>();
  /**
   * The type snapshot `held` was last brought up to date with, while the subscription stayed the same:
   * a newer snapshot then only needs the names that differ between the two. Undefined: look at everything.
   */
  evaluated?: TypeSnapshot;
  /** Whether any response (even an empty one) went out for this type on this stream. */
  answered = false;
  lastNonce?: string;
  /** Whether the client still owes an ACK or NACK for lastNonce. */
  awaitingReply = false;
  sentVersion?: string;
  sentAt?: Date;
  ackedVersion?: string;
  ackedAt?: Date;
  nack?: NackInfo;

  constructor(readonly kind: ResourceKind) {}

  /**
   * Drops what the client no longer wants: it forgets those resources, so subscribing again later must send
   * them again even at an unchanged version.
   */
  forget(wants: (name: string) => boolean): void {
    for (const name of this.held.keys()) if (!wants(name)) this.held.delete(name);
    for (const name of this.force) if (!wants(name)) this.force.delete(name);
    for (const name of this.lingering.keys()) if (!wants(name)) this.lingering.delete(name);
    for (const name of this.toldAbsent) if (!wants(name)) this.toldAbsent.delete(name);
  }

  /**
   * Brings `held` up to date with what is about to be sent (or silently forgotten) and returns the versions
   * held before for each updated resource (a changed Cluster needs its EDS again).
   */
  apply(changes: TypeChanges, snapshot: TypeSnapshot): (string | undefined)[] {
    const before = changes.updated.map((r) => this.held.get(r.name));
    for (const r of changes.updated) this.held.set(r.name, r.version);
    for (const name of changes.removed) {
      this.held.delete(name);
      this.lingering.delete(name);
    }
    for (const r of changes.updated) {
      this.lingering.delete(r.name);
      this.toldAbsent.delete(r.name);
    }
    this.force.clear();
    this.evaluated = snapshot;
    return before;
  }

  recordSent(version: string, nonce: string): void {
    this.answered = true;
    this.lastNonce = nonce;
    this.awaitingReply = true;
    this.sentVersion = version;
    this.sentAt = new Date();
  }

  recordAck(version: string): void {
    this.awaitingReply = false;
    this.ackedVersion = version;
    this.ackedAt = new Date();
    this.nack = undefined;
  }

  recordNack(version: string, nonce: string, detail: { code?: number; message?: string }): NackInfo {
    this.awaitingReply = false;
    this.nack = { version, nonce, message: detail.message ?? `code ${detail.code ?? 0}`, at: new Date() };
    return this.nack;
  }

  /**
   * Whether the client ACKed the last response and holds `snapshot`'s version of everything it was sent (what
   * clientConverged in admin/convergence.ts reads from status(), without copying the stream's state). Once
   * `held` was brought up to date with this very snapshot and nothing waits (forced or lingering names), that
   * is known without looking at a resource: an ACK then costs O(1) however many names the stream holds.
   */
  upToDate(snapshot: TypeSnapshot): boolean {
    if (this.sentVersion === undefined) return true;
    if (this.ackedVersion !== this.sentVersion) return false;
    if (this.evaluated === snapshot && this.force.size === 0 && this.lingering.size === 0) return true;
    for (const [name, version] of this.held)
      if (snapshot.resources.get(name)?.version !== version) return false;
    return true;
  }

  status(wildcard: boolean, subscribed: ReadonlySet<string>): TypeStatus {
    return {
      kind: this.kind,
      wildcard,
      subscribed: [...subscribed].sort(),
      sent: this.held,
      ...(this.sentVersion !== undefined ? { sentVersion: this.sentVersion } : {}),
      ...(this.sentAt ? { sentAt: this.sentAt } : {}),
      ...(this.ackedVersion !== undefined ? { ackedVersion: this.ackedVersion } : {}),
      ...(this.ackedAt ? { ackedAt: this.ackedAt } : {}),
      ...(this.nack ? { nack: this.nack } : {}),
    };
  }
}

/** Delta ACKs name any earlier response by nonce: which type and version each unanswered nonce carried. */
export class InFlightNonces {
  private readonly flights = new Map<string, { kind: ResourceKind; version: string }>();

  /** A client that never answers can't grow this forever: the oldest is forgotten past `limit`. */
  constructor(private readonly limit = 64) {}

  add(nonce: string, kind: ResourceKind, version: string): void {
    this.flights.set(nonce, { kind, version });
    if (this.flights.size > this.limit) {
      const oldest = this.flights.keys().next().value;
      if (oldest !== undefined) this.flights.delete(oldest);
    }
  }

  take(nonce: string, kind: ResourceKind): { kind: ResourceKind; version: string } | undefined {
    const flight = this.flights.get(nonce);
    if (!flight || flight.kind !== kind) return undefined;
    this.flights.delete(nonce);
    return flight;
  }

  unacked(kind: ResourceKind): number {
    let n = 0;
    for (const f of this.flights.values()) if (f.kind === kind) n++;
    return n;
  }

  clear(): void {
    this.flights.clear();
  }
}
