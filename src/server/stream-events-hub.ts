// Fans StreamEvents out to any number of listeners (the NACK log line, metrics, the status page), so each
// observer attaches itself without the xDS server knowing who listens. A throwing listener is isolated.
import type { ResourceKind } from '../xds/types';
import type { NodeInfo } from './node';
import type { NackInfo, StreamEvents } from './sotw-stream';

export class StreamEventsHub implements StreamEvents {
  private readonly listeners = new Set<StreamEvents>();

  /** Adds a listener; returns a function that removes it. */
  add(listener: StreamEvents): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRequestError(info: NodeInfo | undefined, message: string): void {
    this.each((l) => l.onRequestError?.(info, message));
  }

  onResponse(info: NodeInfo, kind: ResourceKind, version: string, resources: number): void {
    this.each((l) => l.onResponse?.(info, kind, version, resources));
  }

  onAck(info: NodeInfo, kind: ResourceKind, version: string): void {
    this.each((l) => l.onAck?.(info, kind, version));
  }

  onNack(info: NodeInfo, kind: ResourceKind, nack: NackInfo): void {
    this.each((l) => l.onNack?.(info, kind, nack));
  }

  private each(call: (listener: StreamEvents) => void): void {
    callEachIsolated(this.listeners, call);
  }
}

/** Calls every listener; one that throws is skipped, so an observer's bug never breaks an xDS stream. */
export function callEachIsolated<L>(listeners: Iterable<L>, call: (listener: L) => void): void {
  for (const listener of listeners) {
    try {
      call(listener);
    } catch {
      // Deliberately ignored: see above.
    }
  }
}
