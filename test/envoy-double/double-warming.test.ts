// Cluster warming as Envoy does it: an EDS cluster is unknown to the router until its endpoints first
// arrive, so a route to it answers as for a missing cluster (cluster_not_found_response_code), not "no
// healthy upstream"; once the endpoints come, it serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend } from './echo-backend';
import { assignment, edgeSet, edsCluster, LISTENER_PORT } from './edge-resources';
import { startEnvoyDouble } from './index';
import { startStaticXds } from './static-xds';
import { request } from '../helpers/edge-double-fixture';
import { eventually } from '../helpers/eventually';

test('a cluster waiting for its endpoints is not routable yet', { timeout: 30_000 }, async (t) => {
  const backend = await startEchoBackend('web');
  t.after(() => backend.close());
  const xds = await startStaticXds(t);
  const routes = {
    virtual_hosts: [
      {
        name: 'web',
        domains: ['*'],
        routes: [
          {
            name: 'cold',
            match: { prefix: '/' },
            route: { cluster: 'cold', cluster_not_found_response_code: 'NOT_FOUND' as const },
          },
        ],
      },
    ],
  };
  xds.publish((set) => edgeSet(set, routes, [[edsCluster('cold')]]));
  const envoy = await startEnvoyDouble({ xdsAddress: xds.address });
  t.after(() => envoy.close());
  await assert.rejects(envoy.ready(1500), /still waiting for endpoint cold/);
  const warming = await request(envoy.port(LISTENER_PORT), 'web.test', '/');
  assert.equal(warming.status, 404, 'routed as a missing cluster while warming');

  xds.publish((set) => edgeSet(set, routes, [[edsCluster('cold'), assignment('cold', [backend])]]));
  await eventually('the warm cluster serving', async () => {
    const reply = await request(envoy.port(LISTENER_PORT), 'web.test', '/');
    return reply.status === 200 ? reply : undefined;
  });
  await envoy.ready();
});
