// `kxds proxy-status` and `kxds proxy-config` through the real CLI against a running kxds, over CSDS: every connected proxy with
// its role and group, SYNCED where it ACKed, NACKED with the NACK's text, and -o json as the protobuf JSON
// mapping of the CSDS answer; proxy-config shows one node's resources of a type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdsTestClient } from '../helpers/ads-client';
import { runKxdsToEnd } from '../helpers/cli-process';
import { startObservedApp } from '../helpers/observed-app';
import { parse } from 'yaml';
import { EDGE_CLUSTER, EDGE_SECRET, FAKE_KEY_MARKER } from '../helpers/edge-fixture';

test(
  'proxy-status lists proxies with role, group and per-type SYNCED / NACKED over CSDS',
  { timeout: 60000 },
  async (t) => {
    const { xdsAddress } = await startObservedApp(t);
    const edge = new AdsTestClient(xdsAddress, { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } });
    t.after(() => edge.close());
    edge.request('cluster', []);
    edge.request('cluster', [], await edge.waitFor('cluster'));
    const px = new AdsTestClient(xdsAddress, { id: 'px-1', metadata: { 'kxds.io/role': 'proxyless' } });
    t.after(() => px.close());
    px.request('cluster', []);
    px.request('cluster', [], await px.waitFor('cluster'), 'unsupported lb_policy (from the test)');

    // The NACK reaches the server asynchronously: ask until it shows.
    let table = '';
    for (let i = 0; i < 50 && !table.includes('NACKED'); i++) {
      const result = await runKxdsToEnd(['proxy-status', '--server', xdsAddress]);
      assert.equal(result.code, 0, result.stderr);
      table = result.stdout;
    }
    const lines = table.split('\n');
    assert.match(lines[0] ?? '', /^NAME +ROLE +GROUP +LDS +RDS +CDS +EDS +SDS$/);
    assert.match(lines.find((l) => l.startsWith('edge-1')) ?? '', /^edge-1 +edge +edge +- +- +SYNCED +- +-$/);
    assert.match(
      lines.find((l) => l.startsWith('px-1')) ?? '',
      /^px-1 +proxyless +proxyless +- +- +NACKED +- +-$/,
    );
    assert.ok(lines.includes('px-1 NACKED CDS: unsupported lb_policy (from the test)'), table);

    const json = await runKxdsToEnd(['proxy-status', 'px-1', '--server', xdsAddress, '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const response = JSON.parse(json.stdout) as {
      config: {
        node: { id: string; metadata: Record<string, string> };
        generic_xds_configs: { type_url: string; client_status: string; error_state?: { details: string } }[];
      }[];
    };
    assert.deepEqual(
      response.config.map((c) => c.node.id),
      ['px-1'],
      'the node argument selects one proxy',
    );
    const [config] = response.config;
    assert.equal(config?.node.metadata['kxds.io/group'], 'proxyless');
    const cds = config?.generic_xds_configs.find((c) => c.type_url.endsWith('.Cluster'));
    assert.equal(cds?.client_status, 'NACKED', 'enums by name, as in the protobuf JSON mapping');
    assert.equal(cds?.error_state?.details, 'unsupported lb_policy (from the test)');
  },
);

test('proxy-status fails naming the server when there is none', async () => {
  const result = await runKxdsToEnd(['proxy-status', '--server', '127.0.0.1:1', '--timeout', '2000']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /CSDS at 127\.0\.0\.1:1/);
});

test(
  'proxy-config shows what one connected node holds: a summary, or every resource as JSON or YAML',
  { timeout: 60000 },
  async (t) => {
    const { xdsAddress } = await startObservedApp(t);
    const edge = new AdsTestClient(xdsAddress, { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } });
    t.after(() => edge.close());
    edge.request('secret', [EDGE_SECRET]);
    edge.request('secret', [EDGE_SECRET], await edge.waitFor('secret'));
    edge.request('cluster', []);
    edge.request('cluster', [], await edge.waitFor('cluster'));

    let table = '';
    for (let i = 0; i < 50 && !/ACKED/.test(table); i++)
      table = (await runKxdsToEnd(['proxy-config', 'clusters', 'edge-1', '--server', xdsAddress])).stdout;
    const [header, ...rows] = table.trim().split('\n');
    assert.match(header ?? '', /^NAME +VERSION +STATUS$/);
    assert.ok(
      rows.some((r) => new RegExp(`^${EDGE_CLUSTER} +\\S+ +ACKED$`).test(r)),
      table,
    );

    const json = await runKxdsToEnd([
      'proxy-config',
      'secrets',
      'edge-1',
      '--server',
      xdsAddress,
      '-o',
      'json',
    ]);
    assert.equal(json.code, 0, json.stderr);
    const secrets = JSON.parse(json.stdout) as { name: string; xds_config: Record<string, unknown> }[];
    assert.equal(secrets[0]?.name, EDGE_SECRET);
    assert.equal(
      secrets[0]?.xds_config['@type'],
      'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
    );
    assert.ok(!json.stdout.includes(FAKE_KEY_MARKER), 'key material redacted');
    assert.match(json.stdout, /\[redacted\]/);
    const yaml = await runKxdsToEnd([
      'proxy-config',
      'secrets',
      'edge-1',
      '--server',
      xdsAddress,
      '-o',
      'yaml',
    ]);
    assert.deepEqual(parse(yaml.stdout), secrets);

    const missing = await runKxdsToEnd(['proxy-config', 'clusters', 'nobody', '--server', xdsAddress]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no node "nobody" is connected/);
    assert.equal(
      (await runKxdsToEnd(['proxy-config', 'gadgets', 'edge-1'])).code,
      1,
      'an unknown type is refused',
    );
  },
);
