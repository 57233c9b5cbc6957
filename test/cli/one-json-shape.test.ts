// One JSON shape for a resource everywhere kxds shows one (the protobuf JSON mapping Envoy's /config_dump
// prints: "@type", snake_case names, durations as "5s", key material as {"inline_string": "[redacted]"}):
// the same edge cluster and TLS Secret read through /debug/snapshot, `kxds dump`, `kxds proxy-config -o json`
// and a CSDS answer are deep-equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { fetchClientStatus } from '../../src/client/csds-client';
import { AdsTestClient } from '../helpers/ads-client';
import { runKxdsToEnd } from '../helpers/cli-process';
import { EDGE_CLUSTER, EDGE_SECRET, FAKE_KEY_MARKER } from '../helpers/edge-fixture';
import { startObservedApp } from '../helpers/observed-app';

type Json = Record<string, unknown>;

test(
  'a resource reads the same through /debug/snapshot, dump, proxy-config and CSDS',
  { timeout: 60000 },
  async (t) => {
    const { xdsAddress, get } = await startObservedApp(t);
    const edge = new AdsTestClient(xdsAddress, { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } });
    t.after(() => edge.close());
    edge.request('secret', [EDGE_SECRET]);
    edge.request('secret', [EDGE_SECRET], await edge.waitFor('secret'));
    edge.request('cluster', []);
    edge.request('cluster', [], await edge.waitFor('cluster'));

    const snapshot = JSON.parse((await get('/debug/snapshot?role=edge')).body) as {
      groups: { types: Record<string, { resources: { name: string; resource: Json }[] }> }[];
    };
    const fromSnapshot = (type: string, name: string) =>
      snapshot.groups[0]?.types[type]?.resources.find((r) => r.name === name)?.resource;

    const dump = await runKxdsToEnd([
      'dump',
      '--server',
      xdsAddress,
      '--node-id',
      'dump-1',
      '--role',
      'edge',
      '--output',
      'json',
    ]);
    assert.equal(dump.code, 0, dump.stderr);
    const responses = (JSON.parse(dump.stdout) as { responses: { type: string; resources: Json[] }[] })
      .responses;
    const fromDump = (type: string, name: string) =>
      responses.find((r) => r.type === type)?.resources.find((r) => r.name === name);

    const proxyConfig = async (type: string, name: string) => {
      // CSDS shows ACKED once the server has the ACK: ask until it does.
      for (let i = 0; i < 50; i++) {
        const result = await runKxdsToEnd([
          'proxy-config',
          type,
          'edge-1',
          '--server',
          xdsAddress,
          '-o',
          'json',
        ]);
        assert.equal(result.code, 0, result.stderr);
        const found = (
          JSON.parse(result.stdout) as { name: string; client_status: string; xds_config: Json }[]
        ).find((c) => c.name === name && c.client_status === 'ACKED');
        if (found) return found.xds_config;
      }
      return undefined;
    };

    const csds = await fetchClientStatus(
      xdsAddress,
      grpc.credentials.createInsecure(),
      { nodeId: 'edge-1' },
      5000,
    );
    const configs =
      (csds.config as { generic_xds_configs: { name: string; xds_config: Json }[] }[])[0]
        ?.generic_xds_configs ?? [];
    const fromCsds = (name: string) => configs.find((c) => c.name === name)?.xds_config;

    for (const [snapshotType, dumpType, pcType, name] of [
      ['cluster', 'cds', 'clusters', EDGE_CLUSTER],
      ['secret', 'sds', 'secrets', EDGE_SECRET],
    ] as const) {
      const seen = fromSnapshot(snapshotType, name);
      assert.ok(seen, `/debug/snapshot has ${name}`);
      assert.deepEqual(fromDump(dumpType, name), seen, `kxds dump shows ${name} as /debug/snapshot does`);
      assert.deepEqual(
        await proxyConfig(pcType, name),
        seen,
        `proxy-config shows ${name} as /debug/snapshot does`,
      );
      assert.deepEqual(fromCsds(name), seen, `CSDS shows ${name} as /debug/snapshot does`);
    }
    const cluster = fromSnapshot('cluster', EDGE_CLUSTER) as Json;
    assert.match(String(cluster['@type']), /envoy\.config\.cluster\.v3\.Cluster$/);
    assert.match(String(cluster['connect_timeout']), /^\d+(\.\d+)?s$/, 'a duration as the mapping writes it');
    const secret = fromSnapshot('secret', EDGE_SECRET) as { tls_certificate: Json };
    assert.deepEqual(secret.tls_certificate['private_key'], { inline_string: '[redacted]' });
    assert.ok(!dump.stdout.includes(FAKE_KEY_MARKER));
  },
);
