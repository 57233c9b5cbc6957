// The snapshot debounce, on a mocked clock: the first change after a quiet period goes out at once (with
// what arrives in the same turn), changes that follow closely are coalesced into one batch after the quiet
// period, steady churn still goes out within the maximum wait, and completion or unsubscription leave
// nothing behind.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Subject } from 'rxjs';
import { debounceWithMaxWait } from '../src/debounce';

function setup(t: { after(fn: () => void): void }, quietMs: number, maxMs: number) {
  mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const input = new Subject<number>();
  const batches: { at: number; values: number[] }[] = [];
  const subscription = input
    .pipe(debounceWithMaxWait(quietMs, maxMs))
    .subscribe((values) => batches.push({ at: Date.now() - 1_000_000, values }));
  // In 1 ms steps: a mocked timer firing inside a longer tick would see the clock at the tick's end.
  const tick = (ms: number): void => {
    mock.timers.tick(0);
    for (let i = 0; i < ms; i++) mock.timers.tick(1);
  };
  return { input, batches, subscription, tick };
}

test('the first change after a quiet period goes out at once, with what arrives in the same turn', (t) => {
  const { input, batches, tick } = setup(t, 100, 1000);
  input.next(1);
  input.next(2);
  assert.deepEqual(batches, [], 'not inside the caller: a list delivered synchronously stays one batch');
  tick(0);
  assert.deepEqual(batches, [{ at: 0, values: [1, 2] }]);
  tick(500);
  input.next(3);
  tick(0);
  assert.deepEqual(batches[1], { at: 500, values: [3] }, 'quiet again: at once');
});

test('a burst after the first change is coalesced into one batch once it is quiet', (t) => {
  const { input, batches, tick } = setup(t, 100, 1000);
  input.next(0);
  tick(0);
  for (let i = 1; i <= 5; i++) {
    tick(20);
    input.next(i);
  }
  tick(99);
  assert.equal(batches.length, 1, 'still inside the burst');
  tick(1);
  assert.deepEqual(batches, [
    { at: 0, values: [0] },
    { at: 200, values: [1, 2, 3, 4, 5] },
  ]);
});

test('the time spent on a batch is not a quiet period: what queued up meanwhile is coalesced', (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const input = new Subject<number>();
  const batches: number[][] = [];
  // Each batch "takes" 150 ms, longer than the quiet period, as a large snapshot build blocks the loop.
  input.pipe(debounceWithMaxWait(100, 1000)).subscribe((values) => {
    batches.push(values);
    mock.timers.setTime(Date.now() + 150);
  });
  input.next(1);
  mock.timers.tick(0);
  input.next(2); // arrived during the build
  mock.timers.tick(0);
  assert.deepEqual(batches, [[1]], 'not a new burst');
  mock.timers.tick(100);
  assert.deepEqual(batches, [[1], [2]]);
});

test('under steady churn no change waits longer than the maximum', (t) => {
  const { input, batches, tick } = setup(t, 100, 300);
  const sentAt = new Map<number, number>();
  for (let i = 0; i < 50; i++) {
    sentAt.set(i, Date.now() - 1_000_000);
    input.next(i);
    tick(30); // always inside the quiet period
  }
  tick(1000);
  assert.deepEqual(
    batches.flatMap((b) => b.values),
    [...sentAt.keys()],
    'every change once, in order',
  );
  for (const batch of batches)
    for (const value of batch.values) {
      const waited = batch.at - (sentAt.get(value) ?? 0);
      assert.ok(waited <= 300, `change ${value} waited ${waited} ms`);
    }
  assert.ok(batches.length >= 5 && batches.length <= 7, `${batches.length} batches for 1.5 s of churn`);
});

test('completion flushes the pending batch; unsubscribing cancels it', (t) => {
  const { input, batches, subscription, tick } = setup(t, 100, 1000);
  input.next(1);
  tick(0);
  input.next(2);
  input.complete();
  assert.deepEqual(
    batches.map((b) => b.values),
    [[1], [2]],
  );

  const other = new Subject<number>();
  const late: number[][] = [];
  const sub = other.pipe(debounceWithMaxWait(100, 1000)).subscribe((b) => late.push(b));
  other.next(1);
  sub.unsubscribe();
  tick(2000);
  assert.deepEqual(late, [], 'nothing after unsubscribe');
  subscription.unsubscribe();
});
