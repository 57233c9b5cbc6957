// buildLoadAssignment: a locality's weight counts only the endpoints that take new requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLoadAssignment } from '../../src/envoy/endpoint';
import type { IrEndpoint, IrEndpoints } from '../../src/ir/clusters';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { MESSAGE_NAME } from '../../src/xds/types';

const ep = (address: string, health: IrEndpoint['health']): IrEndpoint => ({ address, port: 8080, health });

test('DRAINING endpoints do not count towards their locality weight', () => {
  const ir: IrEndpoints = {
    clusterName: 'demo/web/80',
    localities: [
      { zone: 'a', endpoints: [ep('10.0.0.1', 'HEALTHY'), ep('10.0.0.2', 'DRAINING')] },
      { zone: 'b', endpoints: [ep('10.0.0.3', 'HEALTHY'), ep('10.0.0.4', 'HEALTHY')] },
    ],
  };
  const cla = buildLoadAssignment(ir);
  assert.deepEqual(
    cla.endpoints?.map((l) => [l.locality?.zone, l.load_balancing_weight?.value]),
    [
      ['a', 1],
      ['b', 2],
    ],
  );
  // The draining endpoint is still listed, so Envoy lets its open connections finish.
  assert.equal(cla.endpoints?.[0]?.lb_endpoints?.length, 2);
  assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.endpoint, cla), []);
});

test('a locality with only DRAINING endpoints carries no weight (>= 1 when set) and still passes the rules', () => {
  const ir: IrEndpoints = {
    clusterName: 'demo/web/80',
    localities: [
      { zone: 'a', endpoints: [ep('10.0.0.1', 'DRAINING')] },
      { zone: 'b', endpoints: [ep('10.0.0.3', 'HEALTHY')] },
      { zone: 'c', endpoints: [] },
    ],
  };
  const cla = buildLoadAssignment(ir);
  assert.deepEqual(
    cla.endpoints?.map((l) => [l.locality?.zone, l.load_balancing_weight]),
    [
      ['a', undefined],
      ['b', { value: 1 }],
    ],
  );
  assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.endpoint, cla), []);
});
