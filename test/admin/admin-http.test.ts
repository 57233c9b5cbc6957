// The admin address end to end: Prometheus metrics move with real ADS traffic, the debug JSON shows what is
// served and who holds it, and no response ever carries the TLS private key of the served Secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AdsTestClient } from '../helpers/ads-client';
import { startObservedApp } from '../helpers/observed-app';
import type { ObjectStatus } from '../../src/ir/status';
import { EDGE_SECRET, FAKE_KEY_MARKER, FAKE_PRIVATE_KEY, edgeSnapshot } from '../helpers/edge-fixture';

/** The value of one sample line, e.g. metric('kxds_xds_acks_total{type="cluster"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until(done: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first event of an SSE stream. */
function firstEvent(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          req.destroy();
          resolve(buffer.slice(0, end));
        }
      });
    });
    req.on('error', reject);
  });
}

test('metrics, debug JSON and the status page data follow real xDS traffic; key material never leaks', async (t) => {
  const { app, xdsAddress, get, source, slice, adminUrl } = await startObservedApp(t);

  const px = new AdsTestClient(xdsAddress, { id: 'px-1', metadata: { 'kxds.io/role': 'proxyless' } });
  t.after(() => px.close());
  px.request('cluster', []);
  const pxCds = await px.waitFor('cluster');
  px.request('cluster', [], pxCds);
  const edsName = (pxCds.resources[0] as { eds_cluster_config?: { service_name?: string } })
    .eds_cluster_config?.service_name;
  assert.ok(edsName, 'the proxyless cluster names its EDS resource');
  px.request('endpoint', [edsName]);
  const eds1 = await px.waitFor('endpoint');
  px.request('endpoint', [edsName], eds1);
  // The server must have taken that ACK before the change: the change is built at once, and an ACK
  // arriving after the next response is stale (ignored, not counted).
  await until(
    async () => (sample((await get('/metrics')).body, 'kxds_xds_acks_total{type="endpoint"}') ?? 0) >= 1,
  );

  // A source change: the proxyless client gets new endpoints and ACKs them, which completes a convergence.
  source.upsert(slice(['127.0.0.2']));
  const eds2 = await px.waitFor('endpoint', 2);
  px.request('endpoint', [edsName], eds2);

  // The rebuild replaced the hand-made edge snapshot with the translated one; put it back.
  app.cache.setSnapshot(edgeSnapshot(app.cache.getSnapshot('edge')));
  const edge = new AdsTestClient(xdsAddress, { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } });
  t.after(() => edge.close());
  edge.request('secret', [EDGE_SECRET]);
  const sds = await edge.waitFor('secret');
  edge.request('secret', [EDGE_SECRET], sds);
  edge.request('cluster', []);
  edge.request('cluster', [], await edge.waitFor('cluster'), 'edge rejects clusters (test)');

  let metrics = '';
  for (let i = 0; i < 50; i++) {
    metrics = (await get('/metrics')).body;
    // Until the convergence is measured and the edge's NACK (sent last) has been taken.
    const nacked = (sample(metrics, 'kxds_xds_nacks_total{type="cluster"}') ?? 0) >= 1;
    if ((sample(metrics, 'kxds_convergence_seconds_count') ?? 0) >= 1 && nacked) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(sample(metrics, 'kxds_xds_connected_streams{role="edge"}'), 1);
  assert.equal(sample(metrics, 'kxds_xds_connected_streams{role="proxyless"}'), 1);
  assert.equal(sample(metrics, 'kxds_xds_connected_streams{role="sidecar"}'), 0);
  assert.ok((sample(metrics, 'kxds_xds_responses_total{type="endpoint"}') ?? 0) >= 2);
  assert.ok((sample(metrics, 'kxds_xds_acks_total{type="endpoint"}') ?? 0) >= 2);
  assert.equal(sample(metrics, 'kxds_xds_acks_total{type="secret"}'), 1);
  assert.equal(sample(metrics, 'kxds_xds_nacks_total{type="cluster"}'), 1);
  assert.equal(sample(metrics, 'kxds_xds_nacks_total{type="listener"}'), 0);
  assert.ok((sample(metrics, 'kxds_snapshot_build_seconds_count') ?? 0) >= 2);
  assert.ok((sample(metrics, 'kxds_convergence_seconds_count') ?? 0) >= 1, 'a convergence was measured');
  assert.equal(sample(metrics, 'kxds_resources{type="secret",group="edge"}'), 1);
  assert.equal(sample(metrics, 'kxds_resources{type="cluster",group="proxyless"}'), 2);
  assert.ok((sample(metrics, 'kxds_source_events_total') ?? 0) >= 4);
  assert.equal(sample(metrics, 'kxds_informer_restarts_total'), 0);
  assert.equal(sample(metrics, 'kxds_translation_warnings'), 1);
  assert.match(metrics, /^kxds_process_cpu_seconds_total /m, 'process metrics');

  const snapshot = await get('/debug/snapshot?role=edge');
  assert.equal(snapshot.status, 200);
  const edgeJson = JSON.parse(snapshot.body) as {
    groups: {
      group: string;
      types: Record<string, { resources: { name: string; resource: Record<string, unknown> }[] }>;
    }[];
  };
  assert.equal(edgeJson.groups[0]?.group, 'edge');
  const secret = edgeJson.groups[0]?.types.secret?.resources[0]?.resource as {
    tls_certificate: { private_key: unknown; certificate_chain: { inline_string: string } };
  };
  assert.deepEqual(secret.tls_certificate.private_key, { inline_string: '[redacted]' }, 'as CSDS redacts it');
  assert.match(secret.tls_certificate.certificate_chain.inline_string, /BEGIN CERTIFICATE/);
  const listener = edgeJson.groups[0]?.types.listener?.resources[0]?.resource as { filter_chains: unknown[] };
  assert.match(
    JSON.stringify(listener.filter_chains),
    /"@type":"type.googleapis.com\/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"/,
  );
  assert.equal((await get('/debug/snapshot?role=captain')).status, 400);
  const proxylessJson = JSON.parse((await get('/debug/snapshot?role=proxyless')).body) as {
    groups: { group: string }[];
  };
  assert.deepEqual(
    proxylessJson.groups.map((g) => g.group),
    ['proxyless'],
  );

  const nodes = JSON.parse((await get('/debug/nodes')).body) as {
    nodes: {
      id: string;
      role: string;
      types: { type: string; nack?: { message: string }; ackedVersion?: string }[];
    }[];
  };
  assert.deepEqual(
    nodes.nodes.map((n) => [n.id, n.role]),
    [
      ['edge-1', 'edge'],
      ['px-1', 'proxyless'],
    ],
  );
  const edgeCds = nodes.nodes[0]?.types.find((x) => x.type === 'cluster');
  assert.equal(edgeCds?.nack?.message, 'edge rejects clusters (test)');
  assert.equal(nodes.nodes[1]?.types.find((x) => x.type === 'endpoint')?.ackedVersion, eds2.versionInfo);

  const warnings = JSON.parse((await get('/debug/warnings')).body) as { statuses: ObjectStatus[] };
  assert.equal(warnings.statuses.length, 1);
  assert.deepEqual(warnings.statuses[0]?.ref, { group: '', kind: 'Service', namespace: 'demo', name: 'odd' });
  const [condition] = warnings.statuses[0]?.conditions ?? [];
  assert.deepEqual(
    [condition?.type, condition?.status, condition?.reason],
    ['PartiallyInvalid', 'True', 'InvalidAnnotation'],
  );
  assert.match(condition?.message ?? '', /kxds.io\/load-balancer/);

  const state = JSON.parse((await get('/ui/state')).body) as {
    routes: { host: string; cluster: string; healthy: number; total: number }[];
  };
  const shop = state.routes.find((r) => r.host === 'shop.example.com');
  assert.deepEqual([shop?.healthy, shop?.total], [2, 3], 'healthy/total endpoints of the route target');

  // No admin response carries the key, in PEM form or base64.
  const base64Key = Buffer.from(FAKE_PRIVATE_KEY).toString('base64');
  const bodies = await Promise.all(
    ['/metrics', '/debug/snapshot?role=edge', '/debug/nodes', '/debug/warnings', '/ui', '/ui/state'].map(
      async (p) => [p, (await get(p)).body] as const,
    ),
  );
  bodies.push(['/ui/events', await firstEvent(`${adminUrl}/ui/events`)]);
  for (const [path, body] of bodies) {
    assert.ok(body.length > 0, `${path} answered`);
    assert.ok(!body.includes(FAKE_KEY_MARKER), `${path} leaks the key`);
    assert.ok(!body.includes(base64Key.slice(8, 40)), `${path} leaks the key as base64`);
  }
});

test('HEAD /ui/events answers the headers and ends; GET keeps the stream open', async (t) => {
  const { adminUrl } = await startObservedApp(t);
  const head = await new Promise<{ status?: number; type?: string; ended: boolean }>((resolve, reject) => {
    const req = http.request(`${adminUrl}/ui/events`, { method: 'HEAD' }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode, type: res.headers['content-type'], ended: true }),
      );
    });
    req.setTimeout(5000, () => req.destroy(new Error('HEAD /ui/events did not end within 5 s')));
    req.on('error', reject);
    req.end();
  });
  assert.deepEqual(head, { status: 200, type: 'text/event-stream; charset=utf-8', ended: true });
  assert.match(await firstEvent(`${adminUrl}/ui/events`), /^retry: 1000\ndata: \{/);
});
