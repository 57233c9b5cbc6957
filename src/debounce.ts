// An RxJS operator that waits for a quiet period but never longer than a maximum: under a steady stream
// of changes a snapshot still goes out at least every maxMs, and a burst becomes one snapshot.
import { Observable, type OperatorFunction } from 'rxjs';

export function debounceWithMaxWait<T>(quietMs: number, maxMs: number): OperatorFunction<T, T[]> {
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let buffer: T[] = [];
      let quietTimer: NodeJS.Timeout | undefined;
      let maxTimer: NodeJS.Timeout | undefined;
      const flush = (): void => {
        clearTimeout(quietTimer);
        clearTimeout(maxTimer);
        quietTimer = maxTimer = undefined;
        if (buffer.length === 0) return;
        const batch = buffer;
        buffer = [];
        subscriber.next(batch);
      };
      const subscription = source.subscribe({
        next: (value) => {
          buffer.push(value);
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
        clearTimeout(quietTimer);
        clearTimeout(maxTimer);
        subscription.unsubscribe();
      };
    });
}
