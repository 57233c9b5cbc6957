// An RxJS operator that batches changes for the snapshot builder: the first change after a quiet period
// goes out at once (with whatever else arrives in the same turn of the event loop, e.g. a list delivered
// synchronously), and only changes that follow it closely are coalesced. A coalesced batch goes out once
// quietMs pass without a change, and never later than maxMs after its first change, so steady churn still
// builds at least every maxMs and a burst becomes the leading build plus one more. The time the subscriber
// spends on a batch (a snapshot build blocks the event loop) does not count as quiet: changes that queued
// up meanwhile are the same burst.
import { Observable, type OperatorFunction } from 'rxjs';

export function debounceWithMaxWait<T>(quietMs: number, maxMs: number): OperatorFunction<T, T[]> {
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let buffer: T[] = [];
      /** When the newest change arrived; a change quietMs or more after it starts a new burst. */
      let lastChangeAt = -Infinity;
      /** When the subscriber returned from the newest batch. */
      let lastBatchDoneAt = -Infinity;
      let leading: NodeJS.Immediate | undefined;
      let quietTimer: NodeJS.Timeout | undefined;
      let maxTimer: NodeJS.Timeout | undefined;
      const cancel = (): void => {
        clearImmediate(leading);
        clearTimeout(quietTimer);
        clearTimeout(maxTimer);
        leading = quietTimer = maxTimer = undefined;
      };
      const flush = (): void => {
        cancel();
        if (buffer.length === 0) return;
        const batch = buffer;
        buffer = [];
        subscriber.next(batch);
        lastBatchDoneAt = Date.now();
      };
      const subscription = source.subscribe({
        next: (value) => {
          const now = Date.now();
          const quiet = now - Math.max(lastChangeAt, lastBatchDoneAt) >= quietMs;
          lastChangeAt = now;
          buffer.push(value);
          if (leading) return; // joins the batch going out in this turn
          if (quiet) {
            leading = setImmediate(flush); // also takes anything a late timer has not flushed yet
            return;
          }
          clearTimeout(quietTimer);
          quietTimer = setTimeout(flush, quietMs);
          maxTimer ??= setTimeout(flush, maxMs);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        cancel();
        subscription.unsubscribe();
      };
    });
}
