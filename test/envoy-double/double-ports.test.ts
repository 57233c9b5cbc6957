// The double's listener ports: a test may pin the loopback port standing for a declared listener port;
// a pinned port another program holds makes ready() fail saying so, instead of waiting in vain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { freePort } from '../helpers/cli-process';
import { edgeSet, LISTENER_PORT } from './edge-resources';
import { startEnvoyDouble } from './index';
import { startStaticXds } from './static-xds';

test('pinned listener ports are used, and a taken one is reported', { timeout: 30_000 }, async (t) => {
  const xds = await startStaticXds(t);
  xds.publish((set) => edgeSet(set, { virtual_hosts: [] }, []));

  const pinned = await freePort();
  const envoy = await startEnvoyDouble({ xdsAddress: xds.address, portMap: { [LISTENER_PORT]: pinned } });
  t.after(() => envoy.close());
  await envoy.ready();
  assert.equal(envoy.port(LISTENER_PORT), pinned);
  assert.throws(() => envoy.port(9999), /no listener on port 9999/);

  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => holder.close());
  const taken = (holder.address() as net.AddressInfo).port;
  const blocked = await startEnvoyDouble({ xdsAddress: xds.address, portMap: { [LISTENER_PORT]: taken } });
  t.after(() => blocked.close());
  await assert.rejects(
    blocked.ready(5000),
    new RegExp(`could not bind listener edge-http \\(port 8080\\).*EADDRINUSE`),
  );
});
