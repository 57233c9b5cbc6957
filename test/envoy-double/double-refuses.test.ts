// The Envoy double refuses what it cannot honour, loudly: a resource that breaks Envoy's proto rules
// (the repo's validator) or uses a field the double does not implement is NACKed with a message naming
// the field, nothing of that response is applied, and ready() rejects with the reason. A later good
// version is accepted and served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pack } from '../../src/xds/encode';
import { startEchoBackend } from './echo-backend';
import { assignment, edgeSet, edsCluster, LISTENER_PORT } from './edge-resources';
import { startEnvoyDouble } from './index';
import { startStaticXds } from './static-xds';
import { request } from '../helpers/edge-double-fixture';
import { eventually } from '../helpers/eventually';
import type { Route } from '../../src/generated/envoy/config/route/v3/Route';

test(
  'the Envoy double NACKs invalid and unsupported config and serves the next good version',
  { timeout: 30_000 },
  async (t) => {
    const backend = await startEchoBackend('web');
    t.after(() => backend.close());
    const xds = await startStaticXds(t);
    const publish = (route: Route, domains = ['web.test']) =>
      xds.publish((set) =>
        edgeSet(set, { virtual_hosts: [{ name: 'web', domains, routes: [route] }] }, [
          [edsCluster('web'), assignment('web', [backend])],
        ]),
      );
    const cors = pack('envoy.extensions.filters.http.cors.v3.CorsPolicy', { allow_methods: 'GET' });
    publish({
      name: 'with-cors',
      match: { prefix: '/' },
      route: { cluster: 'web' },
      typed_per_filter_config: { 'envoy.filters.http.cors': cors },
    });
    const envoy = await startEnvoyDouble({ xdsAddress: xds.address });
    t.after(() => envoy.close());

    await assert.rejects(
      envoy.ready(5000),
      /envoy-double refused route .*typed_per_filter_config\[envoy\.filters\.http\.cors\]: envoy-double runs no HTTP filter but the router/,
    );
    assert.equal(envoy.lastNack()?.kind, 'route');

    // Envoy's own rules: a virtual host needs at least one domain (PGV min_items).
    publish({ name: 'ok', match: { prefix: '/' }, route: { cluster: 'web' } }, []);
    await eventually('a second NACK', () => envoy.nacks()[1]);
    assert.match(envoy.lastNack()?.message ?? '', /virtual_hosts\[0\]\.domains/);
    await assert.rejects(envoy.ready(5000), /refused route/);

    // A field the double does not implement, named with its path.
    publish({ name: 'by-header', match: { prefix: '/' }, route: { cluster_header: 'x-cluster' } });
    await eventually('a third NACK', () => envoy.nacks()[2]);
    await assert.rejects(
      envoy.ready(5000),
      /routes\[0 by-header\]\.route\.cluster_header: envoy-double does not implement this field/,
    );
    assert.equal(
      (await request(envoy.port(LISTENER_PORT), 'web.test', '/')).status,
      404,
      'nothing refused was applied',
    );

    publish({ name: 'ok', match: { prefix: '/' }, route: { cluster: 'web' } });
    await eventually('the good version served', async () => {
      const reply = await request(envoy.port(LISTENER_PORT), 'web.test', '/');
      return reply.status === 200 ? reply : undefined;
    });
    await envoy.ready(5000);
    assert.equal(envoy.nacks().length, 3);
  },
);
