// localitiesForServicePort: conditions, de-duplication, zones, named ports across slices, IPv6, FQDN slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localitiesForServicePort } from '../../src/translate/endpoints';
import type { Statuses } from '../../src/translate/findings';
import { endpointSlice } from '../helpers/k8s-fixtures';

const ref = { namespace: 'demo', service: 'web', port: 80, portName: 'http' };

test('ready is HEALTHY, serving+terminating DRAINING, not serving left out', () => {
  const warnings: Statuses = [];
  const slices = [
    endpointSlice(
      'demo',
      'web',
      'a',
      [{ name: 'http', port: 8080 }],
      [
        { ip: '10.0.0.1' },
        { ip: '10.0.0.2', ready: false, serving: true, terminating: true },
        { ip: '10.0.0.3', ready: false, serving: false, terminating: true },
        { ip: '10.0.0.4', ready: false },
      ],
    ),
  ];
  const [locality] = localitiesForServicePort(slices, ref, warnings);
  assert.deepEqual(
    locality?.endpoints.map((e) => [e.address, e.health]),
    [
      ['10.0.0.1', 'HEALTHY'],
      ['10.0.0.2', 'DRAINING'],
    ],
  );
  assert.deepEqual(warnings, []);
});

test('an address in two slices appears once, the healthy entry winning; zones sort', () => {
  const slices = [
    endpointSlice(
      'demo',
      'web',
      'a',
      [{ name: 'http', port: 8080 }],
      [{ ip: '10.0.0.5', ready: false, serving: true, terminating: true, zone: 'b' }],
    ),
    endpointSlice(
      'demo',
      'web',
      'b',
      [{ name: 'http', port: 8080 }],
      [
        { ip: '10.0.0.5', zone: 'b' },
        { ip: '10.0.0.6', zone: 'a' },
      ],
    ),
  ];
  const localities = localitiesForServicePort(slices, ref, []);
  assert.deepEqual(
    localities.map((l) => [l.zone, l.endpoints.map((e) => `${e.address}:${e.port} ${e.health}`)]),
    [
      ['a', ['10.0.0.6:8080 HEALTHY']],
      ['b', ['10.0.0.5:8080 HEALTHY']],
    ],
  );
});

test('the port is found by name in each slice, even with different numbers; other ports are ignored', () => {
  const slices = [
    endpointSlice('demo', 'web', 'a', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.1' }]),
    endpointSlice('demo', 'web', 'b', [{ name: 'http', port: 9090 }], [{ ip: '10.0.0.2' }]),
    endpointSlice('demo', 'web', 'c', [{ name: 'metrics', port: 9100 }], [{ ip: '10.0.0.3' }]),
  ];
  const [locality] = localitiesForServicePort(slices, ref, []);
  assert.deepEqual(
    locality?.endpoints.map((e) => `${e.address}:${e.port}`),
    ['10.0.0.1:8080', '10.0.0.2:9090'],
  );
});

test('IPv6 slices merge with IPv4 ones; FQDN slices are skipped with a warning', () => {
  const warnings: Statuses = [];
  const slices = [
    endpointSlice('demo', 'web', 'v4', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.1' }]),
    endpointSlice('demo', 'web', 'v6', [{ name: 'http', port: 8080 }], [{ ip: 'fd00::1' }], 'IPv6'),
    endpointSlice('demo', 'web', 'dns', [{ name: 'http', port: 8080 }], [{ ip: 'db.example.com' }], 'FQDN'),
  ];
  const [locality] = localitiesForServicePort(slices, ref, warnings);
  assert.deepEqual(
    locality?.endpoints.map((e) => e.address),
    ['10.0.0.1', 'fd00::1'],
  );
  assert.deepEqual(warnings, [
    {
      ref: { group: 'discovery.k8s.io', kind: 'EndpointSlice', namespace: 'demo', name: 'dns' },
      conditions: [
        {
          type: 'Accepted',
          status: 'False',
          reason: 'UnsupportedAddressType',
          message: 'FQDN EndpointSlices are not supported; skipped',
        },
      ],
    },
  ]);
});
