// Server-sent-event readers of /ui/events that cost bounded memory whatever they do. Every event is the whole
// state, so a reader that can't keep up needs only the latest one: while its socket is full, newer states
// replace the one waiting instead of queueing behind it, and a reader that takes nothing for stallMs is
// dropped (a browser reconnects by itself; `retry:` is in the first event).
import type * as http from 'node:http';

interface Subscriber {
  /** The newest state not yet written because the socket was full. */
  pending?: string;
  /** When the socket last filled up and has not drained since. */
  blockedSince?: number;
}

export class LatestOnlySubscribers {
  private readonly subscribers = new Map<http.ServerResponse, Subscriber>();

  constructor(
    private readonly stallMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Starts sending to res (headers written by the caller); forgets it when the connection closes. */
  add(res: http.ServerResponse, first: string): void {
    const subscriber: Subscriber = {};
    this.subscribers.set(res, subscriber);
    res.on('close', () => this.subscribers.delete(res));
    res.on('drain', () => {
      subscriber.blockedSince = undefined;
      const pending = subscriber.pending;
      subscriber.pending = undefined;
      if (pending !== undefined) this.write(res, subscriber, pending);
    });
    this.write(res, subscriber, first);
  }

  send(data: string): void {
    const now = this.now();
    for (const [res, subscriber] of this.subscribers) {
      if (subscriber.blockedSince === undefined) this.write(res, subscriber, data);
      else if (now - subscriber.blockedSince >= this.stallMs) this.drop(res);
      else subscriber.pending = data;
    }
  }

  closeAll(): void {
    for (const res of this.subscribers.keys()) res.end();
    this.subscribers.clear();
  }

  private write(res: http.ServerResponse, subscriber: Subscriber, data: string): void {
    if (!res.write(data)) subscriber.blockedSince = this.now();
  }

  private drop(res: http.ServerResponse): void {
    this.subscribers.delete(res);
    res.destroy();
  }
}
