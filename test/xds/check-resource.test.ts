// checkEnvoyResource: a valid resource passes; an unknown field is reported with its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEnvoyResource } from '../../src/xds/check-resource';

test('a valid cluster passes, an unknown field is named', () => {
  assert.deepEqual(
    checkEnvoyResource('envoy.config.cluster.v3.Cluster', {
      name: 'a',
      type: 'EDS',
      eds_cluster_config: { service_name: 'a' },
    }),
    [],
  );
  const problems = checkEnvoyResource('envoy.config.cluster.v3.Cluster', {
    name: 'a',
    eds_cluster_config: { servce_name: 'a' },
  });
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /eds_cluster_config.*servce_name/);
});
