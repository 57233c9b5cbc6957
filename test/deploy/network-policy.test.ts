// k8s/ ships a NetworkPolicy per component: every port of every kxds pod is opened to the sources it serves
// and no more, and the example workloads carry the labels those policies admit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO, k8sCleanCheckout, kustomize, type K8sObject } from './render';
import { GATEWAY_NAME_LABEL, gatewayInfra } from '../../src/cluster/gateway-infra';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked by field name */
const spec = (o: K8sObject): any => (o as any).spec;

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The ingress rules of the policies selecting a pod, by the port name each opens. */
function rulesByPort(policies: K8sObject[], labels: Record<string, string>): Map<string, any[]> {
  const byPort = new Map<string, any[]>();
  for (const policy of policies.filter((p) => matches(spec(p).podSelector.matchLabels, labels)))
    for (const rule of spec(policy).ingress ?? [])
      for (const port of rule.ports ?? []) byPort.set(port.port, [...(byPort.get(port.port) ?? []), rule]);
  return byPort;
}

test('each kxds Deployment is selected by a NetworkPolicy that opens exactly its container ports', async () => {
  const objects = kustomize(k8sCleanCheckout());
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), ['kxds', 'kxds-edge']);
  for (const deployment of deployments) {
    const template = spec(deployment).template;
    const ports = template.spec.containers
      .flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name))
      .sort();
    const byPort = rulesByPort(policies, template.metadata.labels);
    assert.ok(byPort.size > 0, `${deployment.metadata.name} has a NetworkPolicy`);
    assert.deepEqual([...byPort.keys()].sort(), ports, `${deployment.metadata.name}: every port, no other`);
  }
});

test('xDS only from the edge, provisioned Gateway Envoys and injected or proxyless workloads; metrics only from monitoring', async () => {
  const objects = kustomize(k8sCleanCheckout());
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const byPort = rulesByPort(policies, {
    'app.kubernetes.io/name': 'kxds',
    'app.kubernetes.io/component': 'control-plane',
  });
  const sources = (port: string) => (byPort.get(port) ?? []).flatMap((rule) => rule.from ?? ['ANYONE']);
  assert.deepEqual(sources('grpc-xds'), [
    { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kxds-edge' } } },
    { namespaceSelector: { matchLabels: { 'kxds.io/inject': 'enabled' } } },
    { namespaceSelector: {}, podSelector: { matchLabels: { 'kxds.io/inject': 'true' } } },
    {
      namespaceSelector: {},
      podSelector: { matchExpressions: [{ key: GATEWAY_NAME_LABEL, operator: 'Exists' }] },
    },
  ]);
  assert.deepEqual(sources('grpc-xds-pl'), [
    { namespaceSelector: {}, podSelector: { matchLabels: { 'kxds.io/proxyless': 'true' } } },
  ]);
  assert.deepEqual(sources('http-metrics'), [
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
  ]);
  assert.deepEqual(sources('https-webhook'), ['ANYONE'], 'the API server is not a pod');
});

test('the example proxyless and sidecar clients carry the labels the xDS policy admits', () => {
  const example = path.join(REPO, 'examples', 'greeter', 'k8s');
  const podLabels = (sub: string, name: string) =>
    spec(kustomize(path.join(example, sub)).find((o) => o.kind === 'Deployment' && o.metadata.name === name)!)
      .template.metadata.labels;
  assert.equal(podLabels('proxyless', 'greeter-client-proxyless')['kxds.io/proxyless'], 'true');
  assert.equal(podLabels('sidecar', 'greeter-client-sidecar')['kxds.io/inject'], 'true');
});

test("a provisioned Gateway Envoy's pod carries the label the xDS policy admits", () => {
  const objects = gatewayInfra(
    { namespace: 'shop', name: 'web', uid: 'u-1', ports: [{ port: 80, protocol: 'TCP' }] },
    { serviceType: 'ClusterIP', replicas: 1, image: 'envoy@sha256:0', labels: {}, annotations: {} },
    'bootstrap: {}',
    10000,
  );
  const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as K8sObject;
  assert.equal(spec(deployment).template.metadata.labels[GATEWAY_NAME_LABEL], 'web');
});
