// The sidecar's config as a sidecar node receives it over ADS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { AdsTestClient } from '../helpers/ads-client';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import type { Namespace } from '../../src/model/k8s';
import { validateMessage } from '../../src/xds/validate';
import { MESSAGE_NAME } from '../../src/xds/types';

function objects() {
  const greeter = service(
    'demo',
    'greeter',
    [
      { name: 'grpc', port: 50051, appProtocol: 'grpc' },
      { name: 'http', port: 8080 },
    ],
    { clusterIP: '10.96.0.10' },
  );
  const slice = endpointSlice(
    'demo',
    'greeter',
    'greeter-1',
    [
      { name: 'grpc', port: 9000 },
      { name: 'http', port: 9080 },
    ],
    [{ ip: '10.1.0.1' }, { ip: '10.1.0.2' }],
  );
  const billing = service('billing', 'ledger', [{ name: 'grpc', port: 7000 }]);
  const ns: Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'locked', annotations: { 'kxds.io/egress-namespaces': 'demo' } },
  };
  return [greeter, slice, billing, ns];
}

async function sidecarConfig(metadata: Record<string, string>) {
  const source = new SubjectSource();
  source.upsert(...objects());
  source.synced();
  const cp = await startControlPlane(source);
  await cp.pipeline.whenReady();
  const client = new AdsTestClient(cp.address, {
    id: 'app-1.demo',
    metadata: { 'kxds.io/role': 'sidecar', ...metadata },
  });
  client.request('listener');
  client.request('cluster');
  const lds = await client.waitFor('listener');
  const cds = await client.waitFor('cluster');
  const routeNames = [
    ...new Set(
      lds.resources
        .flatMap((l) => JSON.stringify(l).match(/"route_config_name":"[^"]+"/g) ?? [])
        .map((m) => m.split('"')[3] as string),
    ),
  ];
  // As Envoy does, endpoints are asked for with the routes: routes wait for the endpoints of their clusters.
  const eds = cds.names.filter((n) => !n.includes('passthrough'));
  client.request('endpoint', eds);
  client.request('route', routeNames, undefined);
  const rds = routeNames.length ? await client.waitFor('route') : undefined;
  // What the sidecar received passes the same proto validation rules as the edge config (the round trip of
  // the objects kxds builds is checked in resources-valid.test.ts).
  const endpoints = eds.length ? await client.waitFor('endpoint') : undefined;
  for (const [kind, response] of [
    ['cluster', cds],
    ['listener', lds],
    ['route', rds],
    ['endpoint', endpoints],
  ] as const) {
    for (const resource of response?.resources ?? []) {
      const result = validateMessage(MESSAGE_NAME[kind], resource);
      assert.deepEqual(
        result.valid ? [] : result.errors,
        [],
        `${kind} ${String(resource.name ?? resource.cluster_name)}`,
      );
    }
  }
  client.close();
  await cp.stop();
  return { lds, cds, rds };
}

test(
  'explicit mode: 127.0.0.1:15001 routes every Service name form to its cluster, HTTP/2 for gRPC',
  { timeout: 20000 },
  async () => {
    const { lds, cds, rds } = await sidecarConfig({ 'kxds.io/namespace': 'demo' });
    assert.deepEqual(lds.names, ['outbound']);
    const address = (lds.resources[0] as { address: { socket_address: unknown } }).address.socket_address;
    assert.deepEqual(address, { address: '127.0.0.1', port_value: 15001 });
    assert.deepEqual(cds.names.sort(), ['billing/ledger/7000', 'demo/greeter/50051', 'demo/greeter/8080']);
    const grpcCluster = JSON.stringify(cds.resources.find((c) => c.name === 'demo/greeter/50051'));
    assert.match(grpcCluster, /http2_protocol_options/);
    const vhosts = (
      rds?.resources[0] as { virtual_hosts: { name: string; domains: string[]; routes: unknown[] }[] }
    ).virtual_hosts;
    const grpcHost = vhosts.find((v) => v.name === 'demo/greeter/50051');
    assert.ok(grpcHost);
    for (const d of [
      'greeter:50051',
      'greeter.demo:50051',
      'greeter.demo.svc:50051',
      'greeter.demo.svc.cluster.local:50051',
      'greeter',
      'greeter.demo',
    ]) {
      assert.ok(grpcHost.domains.includes(d), `missing domain ${d}`);
    }
    // The second port answers only with its port; a short name only within the sidecar's namespace.
    const httpHost = vhosts.find((v) => v.name === 'demo/greeter/8080');
    assert.ok(httpHost && !httpHost.domains.includes('greeter.demo'));
    const ledger = vhosts.find((v) => v.name === 'billing/ledger/7000');
    assert.ok(
      ledger && !ledger.domains.includes('ledger:7000') && ledger.domains.includes('ledger.billing:7000'),
    );
    const timeout = (grpcHost.routes[0] as { route: { timeout?: { seconds?: string; nanos?: number } } })
      .route.timeout;
    assert.ok(
      timeout && Number(timeout.seconds ?? 0) === 0 && (timeout.nanos ?? 0) === 0,
      'gRPC routes have a 0s (no) timeout',
    );
    const httpTimeout = (httpHost.routes[0] as { route: { timeout?: unknown } }).route.timeout;
    assert.equal(httpTimeout, undefined, "plain HTTP routes keep Envoy's default");
    const all = vhosts.flatMap((v) => v.domains);
    assert.equal(new Set(all).size, all.length, 'domains are unique across virtual hosts');
  },
);

test(
  'egress namespaces from the Namespace annotation and from node metadata limit what a sidecar sees',
  { timeout: 20000 },
  async () => {
    const locked = await sidecarConfig({ 'kxds.io/namespace': 'locked' });
    assert.deepEqual(locked.cds.names.sort(), ['demo/greeter/50051', 'demo/greeter/8080']);
    const podLimited = await sidecarConfig({
      'kxds.io/namespace': 'demo',
      'kxds.io/egress-namespaces': 'billing',
    });
    assert.deepEqual(podLimited.cds.names.sort(), [
      'billing/ledger/7000',
      'demo/greeter/50051',
      'demo/greeter/8080',
    ]);
    const onlyOwn = await sidecarConfig({
      'kxds.io/namespace': 'billing',
      'kxds.io/egress-namespaces': 'billing',
    });
    assert.deepEqual(onlyOwn.cds.names, ['billing/ledger/7000']);
  },
);

test(
  'transparent mode: outbound 15001 dispatches on the original port, inbound 15006 passes through',
  { timeout: 20000 },
  async () => {
    const { lds, cds, rds } = await sidecarConfig({
      'kxds.io/namespace': 'demo',
      'kxds.io/capture': 'iptables',
    });
    assert.deepEqual(lds.names.sort(), ['inbound', 'outbound-transparent']);
    const outbound = JSON.stringify(lds.resources.find((l) => l.name === 'outbound-transparent'));
    assert.match(outbound, /envoy.filters.listener.original_dst/);
    assert.match(outbound, /"destination_port":\{"value":50051\}/);
    assert.match(outbound, /"default_filter_chain"/);
    assert.ok(cds.names.includes('passthrough') && cds.names.includes('inbound-passthrough'));
    const routes = JSON.stringify(rds?.resources);
    assert.match(routes, /10\.96\.0\.10:50051/, 'the ClusterIP is a domain of the transparent route');
  },
);
