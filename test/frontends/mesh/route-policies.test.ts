// kxds.io/ annotations on a mesh route -> its retry and fault policies: what each key accepts, what a bad
// value does (reported on the route; a fault whose percentage doesn't parse is left out, never sent at
// 100 %), and an unknown kxds.io key reported with a "did you mean".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meshRoutePolicies } from '../../../src/frontends/mesh/route-policies';
import type { GatewayApiObject } from '../../../src/model/gateway-api';
import type { Statuses } from '../../../src/translate/findings';

function route(annotations: Record<string, string>): GatewayApiObject<'GRPCRoute'> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: { namespace: 'demo', name: 'r', annotations },
    spec: {},
  } as GatewayApiObject<'GRPCRoute'>;
}

function read(annotations: Record<string, string>) {
  const warnings: Statuses = [];
  const policies = meshRoutePolicies(route(annotations), warnings);
  return { policies, messages: warnings.flatMap((w) => w.conditions.map((c) => c.message)) };
}

test('retries: conditions, attempts, backoff; without conditions they retry UNAVAILABLE', () => {
  assert.deepEqual(
    read({
      'kxds.io/retry-on': 'unavailable, internal',
      'kxds.io/num-retries': '3',
      'kxds.io/retry-backoff': '25ms,1s',
    }),
    {
      policies: {
        retry: { on: ['unavailable', 'internal'], numRetries: 3, backoff: { baseMs: 25, maxMs: 1000 } },
      },
      messages: [],
    },
  );
  assert.deepEqual(read({ 'kxds.io/num-retries': '1' }).policies, {
    retry: { on: ['unavailable'], numRetries: 1 },
  });
  const bad = read({ 'kxds.io/retry-backoff': '1s,10ms' });
  assert.deepEqual(bad.policies, {});
  assert.match(bad.messages[0] ?? '', /kxds.io\/retry-backoff: invalid value "1s,10ms"/);
});

test('faults: a delay and an abort (gRPC name, gRPC code or HTTP status), 100 % unless a percentage is given', () => {
  assert.deepEqual(
    read({
      'kxds.io/fault-delay': '200ms',
      'kxds.io/fault-abort': 'resource_exhausted',
      'kxds.io/fault-abort-percent': '0.5',
    }).policies,
    {
      fault: { delay: { fixedMs: 200, percent: 100 }, abort: { grpcStatus: 8, percent: 0.5 } },
    },
  );
  assert.deepEqual(read({ 'kxds.io/fault-abort': '14' }).policies, {
    fault: { abort: { grpcStatus: 14, percent: 100 } },
  });
  assert.deepEqual(read({ 'kxds.io/fault-abort': '503' }).policies, {
    fault: { abort: { httpStatus: 503, percent: 100 } },
  });
});

test('a bad fault value is reported and that fault left out; an unknown key is reported on the route', () => {
  const typo = read({ 'kxds.io/fault-abort': 'unavailable', 'kxds.io/fault-abort-percent': '50%' });
  assert.deepEqual(typo.policies, {}, 'a percentage that does not parse never becomes 100 %');
  assert.match(typo.messages[0] ?? '', /fault-abort-percent: invalid value "50%"/);
  const code = read({ 'kxds.io/fault-abort': '42', 'kxds.io/fault-delay': '0s' });
  assert.deepEqual(code.policies, {});
  assert.equal(code.messages.length, 2, code.messages.join('\n'));
  const unknown = read({ 'kxds.io/fault-dely': '1s' });
  assert.match(
    unknown.messages[0] ?? '',
    /kxds.io\/fault-dely is not one kxds reads.*did you mean kxds.io\/fault-delay/,
  );
});
