// A cluster without the Gateway API CRDs is normal: the source syncs without them (Ingress keeps working),
// and the kinds are picked up once the CRDs are installed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { GATEWAY_API_TYPES } from '../k8s-double/resources';
import { service, startDouble, startSource, waitFor } from './kube-harness';

test('without the Gateway API CRDs the source syncs; once they are installed, Gateways and HTTPRoutes arrive', async () => {
  const { double, kubeconfigPath } = await startDouble();
  double.create(service('web'));
  const lines: { msg: string; informer?: string; level: number }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as never);
      done();
    },
  });
  const { source, recorder } = await startSource(kubeconfigPath, {
    kinds: ['Service', 'Gateway', 'HTTPRoute'],
    logger: createLogger('debug', destination),
  });
  const gatewayLines = (msg: string) =>
    lines.filter((l) => l.informer === 'Gateway' && l.msg.startsWith(msg));
  try {
    await waitFor('synced', () => recorder.syncedCount === 1);
    assert.ok(recorder.log.some((l) => l.startsWith('upsert Service default/web')));
    // Retried a few times while missing, and said so once, at info; no warnings.
    const notFound = () =>
      double.requestsFor('/apis/gateway.networking.k8s.io/v1/gateways').filter((r) => r.status === 404);
    await waitFor('retries of the missing Gateways', () => notFound().length >= 4);
    assert.equal(gatewayLines('resource not served by this cluster').length, 1);
    assert.ok(
      !lines.some((l) => l.informer === 'Gateway' && l.level >= 40),
      'no warning about a missing CRD',
    );
    double.installResourceTypes(GATEWAY_API_TYPES);
    double.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'default' },
      spec: { gatewayClassName: 'kxds', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    double.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'default' },
      spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    });
    await waitFor('the Gateway and the HTTPRoute', () =>
      ['upsert Gateway default/edge', 'upsert HTTPRoute default/web'].every((want) =>
        recorder.log.some((l) => l.startsWith(want)),
      ),
    );
    const gateway = recorder.events.find((e) => e.type === 'upsert' && e.object.kind === 'Gateway');
    assert.ok(gateway && gateway.type === 'upsert');
    assert.equal(gateway.object.apiVersion, 'gateway.networking.k8s.io/v1');
    assert.equal(recorder.syncedCount, 1);
    // Gateways were asked for while the CRD was missing (404) and again after it appeared.
    const asked = double.requestsFor('/apis/gateway.networking.k8s.io/v1/gateways');
    assert.ok(asked.some((r) => r.status === 404) && asked.some((r) => r.status === 200));
    assert.equal(source.stats().informers['Gateway']?.handlerErrors, 0);
    await waitFor(
      'the log that Gateways are served now',
      () => gatewayLines('resource is served now').length === 1,
    );
  } finally {
    await source.stop();
    await double.stop();
  }
});

const crd = (name: string, bundleVersion: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name, annotations: { 'gateway.networking.k8s.io/bundle-version': bundleVersion } },
  spec: {
    group: name.slice(name.indexOf('.') + 1),
    names: { kind: 'X', plural: name.slice(0, name.indexOf('.')) },
    versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
});

test('the Gateway API CRDs are read by name for their bundle version; other CRDs never', async () => {
  const { double, kubeconfigPath } = await startDouble();
  double.create(crd('httproutes.gateway.networking.k8s.io', 'v1.6.1'));
  double.create(crd('widgets.example.com', 'v9.9.9'));
  const { source, recorder } = await startSource(kubeconfigPath, { kinds: ['CustomResourceDefinition'] });
  try {
    await waitFor('synced', () => recorder.syncedCount === 1);
    const upserts = () => recorder.events.flatMap((e) => (e.type === 'upsert' ? [e.object] : []));
    assert.deepEqual(
      upserts().map((o) => o.metadata.name),
      ['httproutes.gateway.networking.k8s.io'],
    );
    const first = upserts()[0];
    assert.ok(first?.kind === 'CustomResourceDefinition');
    assert.deepEqual(first.spec, {
      group: 'gateway.networking.k8s.io',
      names: { kind: 'X', plural: 'httproutes' },
    });
    // Each request named one CRD: what the RBAC's resourceNames allow.
    const asked = double.requestsFor('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    assert.ok(asked.length >= 10);
    assert.ok(
      asked.every((r) =>
        /^metadata\.name=[a-z]+\.gateway\.networking\.k8s\.io$/.test(r.query['fieldSelector'] ?? ''),
      ),
    );
    // An upgrade of the CRDs arrives as a change of the annotation.
    double.update(crd('httproutes.gateway.networking.k8s.io', 'v1.7.0'));
    await waitFor('the new bundle version', () =>
      upserts().some(
        (o) => o.metadata.annotations?.['gateway.networking.k8s.io/bundle-version'] === 'v1.7.0',
      ),
    );
  } finally {
    await source.stop();
    await double.stop();
  }
});
