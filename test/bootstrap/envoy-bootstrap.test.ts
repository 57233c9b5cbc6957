// The edge and sidecar Envoy bootstraps, checked after a real encode/decode as envoy.config.bootstrap.v3.Bootstrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBootstrap } from '../../src/bootstrap/envoy-bootstrap';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap';

// Decoded messages are untyped trees; the assertions walk them directly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function roundTrip(bootstrap: ReturnType<typeof buildBootstrap>): Record<string, any> {
  return decodeMessage(BOOTSTRAP, encodeMessage(BOOTSTRAP, bootstrap));
}

test('the edge bootstrap encodes as a Bootstrap and decodes back with ADS, admin on localhost and limits', () => {
  const decoded = roundTrip(buildBootstrap({ role: 'edge', xdsServer: 'kxds.kxds.svc:18000' }));
  assert.equal(decoded.node.id, 'kxds-edge');
  assert.deepEqual(decoded.node.metadata, { fields: { 'kxds.io/role': { stringValue: 'edge' } } });
  assert.deepEqual(decoded.admin.address, { socket_address: { address: '127.0.0.1', port_value: 9901 } });
  assert.deepEqual(decoded.dynamic_resources.ads_config.grpc_services, [
    { envoy_grpc: { cluster_name: 'kxds-xds' } },
  ]);
  assert.equal(decoded.dynamic_resources.ads_config.api_type, 'GRPC');
  for (const source of ['lds_config', 'cds_config']) {
    assert.deepEqual(decoded.dynamic_resources[source].ads, {});
    assert.deepEqual(decoded.dynamic_resources[source].initial_fetch_timeout, { seconds: '10' });
  }
  const xds = decoded.static_resources.clusters.find((c: { name: string }) => c.name === 'kxds-xds');
  assert.equal(xds.type, 'STRICT_DNS');
  assert.equal(
    xds.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address,
    'kxds.kxds.svc',
  );
  const protocol =
    xds.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
  assert.ok(protocol.explicit_http_config.http2_protocol_options, 'xDS cluster speaks HTTP/2');
  assert.equal(xds.transport_socket, undefined, 'plaintext without TLS flags');
  assert.deepEqual(
    decoded.overload_manager.resource_monitors.map(
      (m: { name: string; typed_config: unknown }) => m.typed_config,
    ),
    [
      {
        '@type': 'type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig',
        max_heap_size_bytes: String(1024 * 1024 * 1024),
      },
      {
        '@type':
          'type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig',
        max_active_downstream_connections: '50000',
      },
    ],
  );
  assert.deepEqual(
    decoded.layered_runtime.layers.map((l: { name: string }) => l.name),
    ['static_layer', 'admin_layer'],
  );
});

test('the sidecar bootstrap carries the pod identity and labels, admin on 127.0.0.1:15000', () => {
  const decoded = roundTrip(
    buildBootstrap({
      role: 'sidecar',
      xdsServer: '10.96.0.10:18000',
      pod: {
        name: 'web-1',
        namespace: 'shop',
        ip: '10.1.2.3',
        serviceAccount: 'web',
        labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
      },
      capture: 'iptables',
      egressNamespaces: 'shop,shared',
    }),
  );
  assert.equal(decoded.node.id, 'web-1.shop');
  assert.equal(decoded.node.cluster, 'kxds-sidecar');
  const f = decoded.node.metadata.fields;
  assert.deepEqual(
    Object.fromEntries(Object.entries(f).map(([k, v]) => [k, (v as { stringValue?: string }).stringValue])),
    {
      'kxds.io/role': 'sidecar',
      'kxds.io/pod-name': 'web-1',
      'kxds.io/namespace': 'shop',
      'kxds.io/pod-ip': '10.1.2.3',
      'kxds.io/service-account': 'web',
      'kxds.io/capture': 'iptables',
      'kxds.io/egress-namespaces': 'shop,shared',
      'kxds.io/labels': undefined,
    },
  );
  assert.deepEqual(f['kxds.io/labels'].structValue.fields, {
    app: { stringValue: 'web' },
    'app.kubernetes.io/name': { stringValue: 'web' },
  });
  assert.equal(decoded.admin.address.socket_address.port_value, 15000);
  assert.equal(decoded.admin.address.socket_address.address, '127.0.0.1');
  const xds = decoded.static_resources.clusters.find((c: { name: string }) => c.name === 'kxds-xds');
  assert.equal(xds.type, 'STATIC', 'an IP literal needs no DNS');
});

test('the health listener serves only /healthz/ready, rewritten to admin /ready', () => {
  const decoded = roundTrip(buildBootstrap({ role: 'sidecar', xdsServer: 'kxds:18000' }));
  const [listener] = decoded.static_resources.listeners;
  assert.deepEqual(listener.address, { socket_address: { address: '0.0.0.0', port_value: 15021 } });
  const hcm = listener.filter_chains[0].filters[0].typed_config;
  const routes = hcm.route_config.virtual_hosts[0].routes;
  assert.deepEqual(routes[0], {
    match: { path: '/healthz/ready' },
    route: { cluster: 'kxds-admin', prefix_rewrite: '/ready' },
  });
  assert.deepEqual(routes[1], { match: { prefix: '/' }, direct_response: { status: 404 } });
  const admin = decoded.static_resources.clusters.find((c: { name: string }) => c.name === 'kxds-admin');
  assert.deepEqual(admin.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address, {
    socket_address: { address: '127.0.0.1', port_value: 15000 },
  });
});

test('TLS flags add an UpstreamTlsContext with the client certificate, the CA and SNI for names only', () => {
  const tls = {
    caFile: '/etc/kxds/tls/ca.crt',
    certFile: '/etc/kxds/tls/tls.crt',
    keyFile: '/etc/kxds/tls/tls.key',
  };
  const byName = roundTrip(buildBootstrap({ role: 'edge', xdsServer: 'kxds.kxds.svc:18000', tls }));
  const socket = byName.static_resources.clusters[0].transport_socket;
  assert.equal(socket.name, 'envoy.transport_sockets.tls');
  assert.equal(socket.typed_config.sni, 'kxds.kxds.svc');
  assert.deepEqual(socket.typed_config.common_tls_context.tls_certificates, [
    { certificate_chain: { filename: tls.certFile }, private_key: { filename: tls.keyFile } },
  ]);
  assert.deepEqual(socket.typed_config.common_tls_context.validation_context, {
    trusted_ca: { filename: tls.caFile },
  });
  const byIp = roundTrip(
    buildBootstrap({ role: 'edge', xdsServer: '[fd00::1]:18000', tls: { caFile: '/ca' } }),
  );
  const ipSocket = byIp.static_resources.clusters[0].transport_socket;
  assert.equal(ipSocket.typed_config.sni, undefined);
  assert.equal(
    ipSocket.typed_config.common_tls_context.tls_certificates,
    undefined,
    'no client cert without one',
  );
});

test('overrides reach the bootstrap', () => {
  const decoded = roundTrip(
    buildBootstrap({
      role: 'sidecar',
      xdsServer: 'kxds:18000',
      nodeId: 'n1',
      nodeCluster: 'c1',
      adminPort: 16000,
      healthPort: 16021,
      initialFetchTimeoutSeconds: 3,
      maxHeapBytes: 1000,
      maxDownstreamConnections: 7,
    }),
  );
  assert.equal(decoded.node.id, 'n1');
  assert.equal(decoded.node.cluster, 'c1');
  assert.equal(decoded.admin.address.socket_address.port_value, 16000);
  assert.equal(decoded.static_resources.listeners[0].address.socket_address.port_value, 16021);
  assert.deepEqual(decoded.dynamic_resources.lds_config.initial_fetch_timeout, { seconds: '3' });
  assert.equal(decoded.overload_manager.resource_monitors[0].typed_config.max_heap_size_bytes, '1000');
  assert.equal(
    decoded.overload_manager.resource_monitors[1].typed_config.max_active_downstream_connections,
    '7',
  );
});
