// Jittered exponential backoff: doubling, the cap, the jitter band, reset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../src/sources/backoff';

test('doubles from the initial delay up to the maximum, and reset starts over', () => {
  const middle = () => 0.5; // no jitter at the middle of the band
  const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.2 }, middle);
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map(() => backoff.next()),
    [100, 200, 400, 800, 1000, 1000],
  );
  backoff.reset();
  assert.equal(backoff.next(), 100);
});

test('jitter spreads each delay within +-jitter', () => {
  const low = new Backoff({ initialMs: 1000, jitter: 0.2 }, () => 0);
  const high = new Backoff({ initialMs: 1000, jitter: 0.2 }, () => 1);
  assert.equal(low.next(), 800);
  assert.equal(high.next(), 1200);
  const random = new Backoff({ initialMs: 1000, jitter: 0.2 });
  const delays = Array.from({ length: 50 }, () => {
    const d = random.next();
    random.reset();
    return d;
  });
  assert.ok(delays.every((d) => d >= 800 && d <= 1200));
  assert.ok(new Set(delays).size > 1, 'the delays are not all the same');
});
