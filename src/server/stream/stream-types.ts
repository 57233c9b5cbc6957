// The shapes the stream core shares with its two protocols and with observers: the events a stream
// reports (fanned out by StreamEventsHub), the cache and sink it uses, and one type's state.
import type { SnapshotCache } from '../../xds/cache';
import type { ResourceKind } from '../../xds/types';
import type { NodeInfo } from '../node';
import type { NackInfo, TypeLedger } from './ledger';
import type { TypeSubscription } from './subscription';

export interface StreamEvents {
  onRequestError?(info: NodeInfo | undefined, message: string): void;
  onResponse?(info: NodeInfo, kind: ResourceKind, version: string, resources: number): void;
  onAck?(info: NodeInfo, kind: ResourceKind, version: string): void;
  onNack?(info: NodeInfo, kind: ResourceKind, nack: NackInfo): void;
}

/** What a stream needs of the snapshot cache: its group's snapshots (unsubscribing releases the group). */
export type SnapshotWatch = Pick<SnapshotCache, 'watch'>;

export interface Sink<Response> {
  /** Queues a response; false means the transport is full and `drain` will follow. */
  write(response: Response): boolean;
  onDrain(listener: () => void): void;
}

export interface TypeState {
  readonly kind: ResourceKind;
  readonly subscription: TypeSubscription;
  readonly ledger: TypeLedger;
}

/** A built response and how many resources it carries (for StreamEvents.onResponse). */
export interface Outgoing<Response> {
  response: Response;
  resources: number;
}
