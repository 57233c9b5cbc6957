// CSDS over real gRPC against the whole app: per node and resource the version sent, ACKED / NACKED /
// DOES_NOT_EXIST, the NACK's text and time, the resource itself; node matchers by id and by role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csdsClient, type ClientConfig } from '../helpers/csds-client';
import { AdsTestClient } from '../helpers/ads-client';
import { startObservedApp } from '../helpers/observed-app';
import { EDGE_CLUSTER } from '../helpers/edge-fixture';

const byName = (config: ClientConfig | undefined, name: string) =>
  config?.generic_xds_configs?.find((g) => g.name === name);

test('CSDS reports ACKED, NACKED and DOES_NOT_EXIST per resource and filters nodes by id and role', async (t) => {
  const { app, xdsAddress } = await startObservedApp(t);

  const edge = new AdsTestClient(xdsAddress, { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } });
  t.after(() => edge.close());
  edge.request('cluster', []);
  const cds = await edge.waitFor('cluster');
  edge.request('cluster', [], cds);
  edge.request('route', ['no-such-route']);

  const proxyless = new AdsTestClient(xdsAddress, { id: 'px-7', metadata: { 'kxds.io/role': 'proxyless' } });
  t.after(() => proxyless.close());
  proxyless.request('cluster', []);
  const pxCds = await proxyless.waitFor('cluster');
  proxyless.request('cluster', [], pxCds, 'cluster rejected: bad lb_policy (test)');

  const { client, fetch } = csdsClient(xdsAddress);
  t.after(() => client.close());
  // ACK and NACK are processed when they arrive; poll until CSDS shows both.
  let all: ClientConfig[] = [];
  for (let i = 0; i < 50; i++) {
    all = await fetch({});
    const states = all.map(
      (c) => c.generic_xds_configs?.find((g) => g.type_url.endsWith('Cluster'))?.client_status,
    );
    if (states.includes('ACKED') && states.includes('NACKED')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(
    all.map((c) => c.node.id),
    ['edge-1', 'px-7'],
  );

  const [edgeConfig] = await fetch({ node_matchers: [{ node_id: { exact: 'edge-1' } }] });
  const cluster = byName(edgeConfig, EDGE_CLUSTER);
  const served = app.cache.getSnapshot('edge')?.types.cluster.resources.get(EDGE_CLUSTER);
  assert.equal(cluster?.type_url, 'type.googleapis.com/envoy.config.cluster.v3.Cluster');
  assert.equal(cluster?.version_info, served?.version, 'the resource version sent');
  assert.equal(cluster?.client_status, 'ACKED');
  assert.equal(cluster?.config_status, 'SYNCED');
  assert.ok(cluster?.last_updated, 'last_updated is set');
  assert.equal((cluster?.xds_config as { name?: string } | undefined)?.name, EDGE_CLUSTER);
  assert.equal(
    (cluster?.xds_config as { '@type'?: string } | undefined)?.['@type'],
    'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  );
  assert.equal(byName(edgeConfig, 'no-such-route')?.client_status, 'DOES_NOT_EXIST');

  const byPrefix = await fetch({ node_matchers: [{ node_id: { prefix: 'px-' } }] });
  assert.deepEqual(
    byPrefix.map((c) => c.node.id),
    ['px-7'],
  );
  const nacked = byPrefix[0]?.generic_xds_configs?.find((g) => g.type_url.endsWith('Cluster'));
  assert.equal(nacked?.client_status, 'NACKED');
  assert.equal(nacked?.config_status, 'ERROR');
  assert.equal(nacked?.error_state?.details, 'cluster rejected: bad lb_policy (test)');
  assert.ok(nacked?.error_state?.last_update_attempt);
  assert.equal(nacked?.error_state?.version_info, pxCds.versionInfo);

  const roleMatcher = (role: string) => ({
    node_metadatas: [{ path: [{ key: 'kxds.io/role' }], value: { string_match: { exact: role } } }],
  });
  assert.deepEqual(
    (await fetch({ node_matchers: [roleMatcher('proxyless')] })).map((c) => c.node.id),
    ['px-7'],
  );
  assert.deepEqual(
    (await fetch({ node_matchers: [roleMatcher('edge')] })).map((c) => c.node.id),
    ['edge-1'],
  );
  assert.deepEqual(
    (await fetch({ node_matchers: [roleMatcher('sidecar')] })).map((c) => c.node.id),
    [],
  );
  assert.deepEqual(
    (await fetch({ node_matchers: [roleMatcher('sidecar'), { node_id: { exact: 'edge-1' } }] })).map(
      (c) => c.node.id,
    ),
    ['edge-1'],
    'several matchers are OR-ed',
  );
  const withoutContents = await fetch({
    node_matchers: [{ node_id: { exact: 'edge-1' } }],
    exclude_resource_contents: true,
  });
  assert.equal(byName(withoutContents[0], EDGE_CLUSTER)?.xds_config, undefined);

  // StreamClientStatus answers every request on the stream.
  const stream = client.StreamClientStatus();
  const answers: ClientConfig[][] = [];
  const two = new Promise<void>((resolve) =>
    stream.on('data', (r: { config?: ClientConfig[] }) => {
      answers.push(r.config ?? []);
      if (answers.length === 2) resolve();
    }),
  );
  stream.write({ node_matchers: [{ node_id: { exact: 'edge-1' } }] });
  stream.write({ node_matchers: [roleMatcher('proxyless')] });
  await two;
  stream.end();
  assert.deepEqual(
    answers.map((a) => a.map((c) => c.node.id)),
    [['edge-1'], ['px-7']],
  );
});
