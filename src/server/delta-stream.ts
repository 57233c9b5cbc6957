// One incremental (delta) ADS stream: what delta does differently from SotW on top of the shared stream core
// (stream/xds-stream.ts). Rules (xDS protocol spec "Incremental xDS" + XDS-NOTES.md):
// - every resource carries its own version (the snapshot's content hash); a response carries only the
//   resources whose version differs from what the client holds, and `removed_resources` for held names
//   that are gone;
// - `initial_resource_versions` on a type's first request seeds what the client holds, so a reconnect gets
//   only what changed while it was away and removals of what disappeared;
// - requests add and remove names; subscribing to a name again re-sends it even at an unchanged version;
// - names that don't exist yet are sent when they appear. (The newest spec text lets a server say "does not
//   exist" with a Resource lacking `resource`; clients differ in handling it, so kxds stays silent, as
//   go-control-plane does, and clients fall back to their does-not-exist timer.)
// - ACK/NACK are matched by nonce, to any response still unanswered. Requests are never dropped for their
//   nonce: subscription changes in them always apply.
import type { TypeSnapshot } from '../xds/snapshot';
import { TYPE_URLS } from '../xds/types';
import type { DeltaDiscoveryRequest, OutgoingDeltaResponse } from './delta-codec';
import type { TypeChanges } from './stream/changes';
import type { SubscriptionChange } from './stream/subscription';
import { InFlightNonces, type TypeStatus } from './stream/ledger';
import { XdsStream, type Outgoing, type Sink, type TypeState } from './stream/xds-stream';

export type DeltaResponseSink = Sink<OutgoingDeltaResponse>;

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

export class DeltaStream extends XdsStream<DeltaDiscoveryRequest, OutgoingDeltaResponse> {
  readonly protocol = 'delta';
  private readonly inFlight = new InFlightNonces();

  override status(): DeltaTypeStatus[] {
    return super
      .status()
      .map((s) => ({ protocol: 'delta' as const, ...s, unacked: this.inFlight.unacked(s.kind) }));
  }

  override close(): void {
    super.close();
    this.inFlight.clear();
  }

  protected receive(state: TypeState, request: DeltaDiscoveryRequest, first: boolean): SubscriptionChange {
    const nonce = request.response_nonce ?? '';
    // An unknown nonce (from a previous stream, or forgotten) acknowledges nothing.
    const flight = nonce !== '' ? this.inFlight.take(nonce, state.kind) : undefined;
    if (flight) this.settle(state, flight.version, nonce, request.error_detail);
    if (first)
      for (const [name, version] of Object.entries(request.initial_resource_versions ?? {}))
        state.ledger.held.set(name, version);
    const update = state.subscription.update(
      request.resource_names_subscribe ?? [],
      request.resource_names_unsubscribe ?? [],
      first,
    );
    // A name subscribed again must be sent again, even unchanged: the client may have dropped it.
    for (const name of update.again) if (state.ledger.held.has(name)) state.ledger.force.add(name);
    return update.change;
  }

  protected expressesRemoval(): boolean {
    return true;
  }

  protected build(
    state: TypeState,
    snapshot: TypeSnapshot,
    changes: TypeChanges,
    nonce: string,
  ): Outgoing<OutgoingDeltaResponse> {
    const version = changes.version ?? snapshot.version;
    this.inFlight.add(nonce, state.kind, version);
    return {
      response: {
        systemVersionInfo: version,
        typeUrl: TYPE_URLS[state.kind],
        nonce,
        resources: changes.updated,
        removed: [...changes.removed].sort(),
      },
      resources: changes.updated.length,
    };
  }
}
