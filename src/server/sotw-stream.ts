// One state-of-the-world ADS stream: what SotW does differently from delta on top of the shared stream core
// (stream/xds-stream.ts). Each request repeats the whole list of names the client wants; its nonce must be the
// newest sent for the type, else the request is stale and ignored (it was written before the client saw the
// newest response, which it will ACK with its current list). Responses carry a type version and:
// - LDS and CDS (full state): every wanted resource, so a missing one means deleted (and a cluster whose
//   removal waits for the routes that use it, as last sent: see stream/make-before-break.ts);
// - EDS: only the ClusterLoadAssignments that changed or newly wanted (EDS is not full state: the client keeps
//   the ones it has), so one endpoint change costs each stream one resource, not all it subscribed;
// - RDS and SDS: every wanted resource that exists (a client holds few of them, so sending only the changed
//   ones would save little). They can't express deletion, so nothing is sent for one.
import type { TypeSnapshot } from '../xds/snapshot';
import type { ResourceKind } from '../xds/types';
import { FULL_STATE_KINDS, TYPE_URLS } from '../xds/types';
import { requestNames, type DiscoveryRequest, type OutgoingResponse } from './discovery-codec';
import type { TypeChanges } from './stream/changes';
import type { SubscriptionChange } from './stream/subscription';
import { XdsStream, type Outgoing, type Sink, type TypeState } from './stream/xds-stream';

export type { NackInfo, TypeStatus } from './stream/ledger';
export type { StreamEvents } from './stream/xds-stream';
export type ResponseSink = Sink<OutgoingResponse>;

/** Non-full-state types whose SotW responses carry only what changed. */
const CHANGED_ONLY: ReadonlySet<ResourceKind> = new Set(['endpoint']);

export class SotwStream extends XdsStream<DiscoveryRequest, OutgoingResponse> {
  readonly protocol = 'sotw';
  /** Per type, the wire bytes of the last names list taken in (see DiscoveryRequest.resource_names_wire). */
  private readonly namesWire = new Map<ResourceKind, Buffer>();

  protected receive(state: TypeState, request: DiscoveryRequest, first: boolean): SubscriptionChange {
    const { ledger } = state;
    const nonce = request.response_nonce ?? '';
    if (nonce !== '' && ledger.lastNonce !== undefined && nonce !== ledger.lastNonce) return 'none'; // stale
    if (nonce !== '' && nonce === ledger.lastNonce && ledger.awaitingReply)
      this.settle(state, ledger.sentVersion ?? '', nonce, request.error_detail);
    // The list is the whole subscription, so any change is looked at in full. The same bytes as last time
    // (every ACK repeats the list) are the same list: nothing to decode or compare.
    const wire = request.resource_names_wire;
    if (!first && wire && this.namesWire.get(state.kind)?.equals(wire)) return 'none';
    if (wire) this.namesWire.set(state.kind, Buffer.from(wire));
    return state.subscription.replace(requestNames(request), first) ? 'all' : 'none';
  }

  protected expressesRemoval(kind: ResourceKind): boolean {
    return FULL_STATE_KINDS.has(kind);
  }

  protected build(
    state: TypeState,
    snapshot: TypeSnapshot,
    changes: TypeChanges,
    nonce: string,
  ): Outgoing<OutgoingResponse> {
    const resources = CHANGED_ONLY.has(state.kind)
      ? changes.updated
      : [...wantedResources(state, snapshot), ...(changes.kept ?? [])];
    return {
      response: {
        versionInfo: changes.version ?? snapshot.version,
        typeUrl: TYPE_URLS[state.kind],
        nonce,
        resources: resources.map((r) => r.anyBytes),
      },
      resources: resources.length,
    };
  }
}

/** Every wanted resource that exists: snapshot order for a wildcard, name order otherwise. */
function wantedResources({ subscription }: TypeState, snapshot: TypeSnapshot) {
  if (subscription.wildcard) return [...snapshot.resources.values()];
  return [...subscription.names].sort().flatMap((name) => snapshot.resources.get(name) ?? []);
}
