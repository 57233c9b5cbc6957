// The recovery probe on its own, with a scripted probe: it wakes the waiting informers once the API server
// answers after failing, never when it answered at once (the failure was the informer's own), and a
// cancelled or stopped waiter is never woken.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../src/log';
import { ApiReachability } from '../../src/sources/api-reachability';
import { KubeApiError } from '../../src/sources/kube-client';
import { waitFor } from './kube-harness';

/** A probe that answers from a script: 'down' (no answer), 503, 403 (an answer), or 'up'. */
function scripted(steps: ('down' | 503 | 403 | 'up')[]) {
  const calls = { count: 0 };
  const probe = async (): Promise<unknown> => {
    const step = steps[Math.min(calls.count++, steps.length - 1)];
    if (step === 'down') throw new Error('connect ECONNREFUSED');
    if (typeof step === 'number') throw new KubeApiError(step, 'x', `status ${step}`);
    return {};
  };
  return { calls, probe };
}

test('the informers are woken once the API server answers after an outage', async () => {
  const { calls, probe } = scripted(['down', 503, 'down', 403]);
  const reachability = new ApiReachability({ probe, logger: silentLogger, intervalMs: 5 });
  const woken: string[] = [];
  reachability.waitForRecovery(() => woken.push('a'));
  reachability.waitForRecovery(() => woken.push('b'));
  const cancel = reachability.waitForRecovery(() => woken.push('cancelled'));
  cancel();
  await waitFor('the recovery', () => woken.length === 2, 5000);
  assert.deepEqual(woken, ['a', 'b']);
  assert.equal(calls.count, 4, 'probed until the first answer (a 403 is an answer), then stopped');
  reachability.stop();
});

test('a failure while the API server answers wakes nobody: the backoff stands', async () => {
  const { calls, probe } = scripted(['up']);
  const reachability = new ApiReachability({ probe, logger: silentLogger, intervalMs: 5 });
  let woken = 0;
  reachability.waitForRecovery(() => woken++);
  await waitFor('the probe', () => calls.count === 1, 5000);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(woken, 0);
  assert.equal(calls.count, 1, 'no probing while nobody waits');
  reachability.stop();
});

test('after stop() nothing is probed or woken', async () => {
  const { calls, probe } = scripted(['down', 'up']);
  const reachability = new ApiReachability({ probe, logger: silentLogger, intervalMs: 200 });
  let woken = 0;
  reachability.waitForRecovery(() => woken++);
  await waitFor('the first probe', () => calls.count === 1, 5000);
  reachability.stop();
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(woken, 0);
  assert.equal(calls.count, 1);
});
