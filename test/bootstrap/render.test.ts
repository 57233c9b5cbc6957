// The printed form of a bootstrap: the protobuf JSON mapping Envoy's loader reads, deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { buildBootstrap } from '../../src/bootstrap/envoy-bootstrap';
import { renderEnvoyBootstrap } from '../../src/bootstrap/render';

test('the printed bootstrap uses the protobuf JSON mapping Envoy loads (durations, structs, Any, enums)', () => {
  const bootstrap = buildBootstrap({
    role: 'sidecar',
    xdsServer: 'kxds:18000',
    pod: { name: 'p', namespace: 'n', labels: { app: 'a' } },
  });
  for (const format of ['yaml', 'json'] as const) {
    const text = renderEnvoyBootstrap(bootstrap, format);
    const doc = format === 'json' ? JSON.parse(text) : parse(text);
    assert.deepEqual(doc.node.metadata, {
      'kxds.io/capture': 'explicit',
      'kxds.io/labels': { app: 'a' },
      'kxds.io/namespace': 'n',
      'kxds.io/pod-name': 'p',
      'kxds.io/role': 'sidecar',
    });
    assert.equal(doc.dynamic_resources.lds_config.initial_fetch_timeout, '10s');
    assert.equal(doc.overload_manager.refresh_interval, '0.250s');
    assert.equal(doc.dynamic_resources.ads_config.api_type, 'GRPC');
    assert.equal(doc.static_resources.clusters[0].connect_timeout, '5s');
    assert.equal(
      doc.overload_manager.resource_monitors[0].typed_config['@type'],
      'type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig',
    );
    assert.deepEqual(doc.layered_runtime.layers[0], { name: 'static_layer', static_layer: {} });
    assert.equal(JSON.stringify(doc).includes('[]'), false, 'empty lists are defaults and are left out');
  }
});

test('rendering is deterministic: the same options print the same text', () => {
  const opts = { role: 'edge' as const, xdsServer: 'kxds:18000' };
  assert.equal(
    renderEnvoyBootstrap(buildBootstrap(opts), 'yaml'),
    renderEnvoyBootstrap(buildBootstrap(opts), 'yaml'),
  );
});
