// The shipped manifests, rendered with kubectl's kustomize as `kubectl apply -k` would: every object
// validates against its kind's Kubernetes OpenAPI schema, and the install has the shape issue 6 asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO, find, k8sCleanCheckout, k8sWithCertificates, kustomize, type K8sObject } from './render';
import { schemaProblems } from './schema';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked by field name */
const spec = (o: K8sObject): any => (o as any).spec;
const podSpec = (o: K8sObject): any => spec(o).template.spec;

async function renders(): Promise<[string, K8sObject[]][]> {
  const k8s = k8sCleanCheckout();
  const example = path.join(REPO, 'examples', 'greeter', 'k8s');
  return [
    ['k8s/', kustomize(k8s)],
    ['k8s/overlays/dev', kustomize(path.join(k8s, 'overlays', 'dev'))],
    ['k8s/overlays/cert-manager', kustomize(path.join(k8s, 'overlays', 'cert-manager'))],
    [
      'k8s/overlays/local-certs',
      kustomize(path.join(await k8sWithCertificates(), 'overlays', 'local-certs')),
    ],
    ...['', 'edge', 'sidecar', 'proxyless'].map((sub): [string, K8sObject[]] => [
      `examples/greeter/k8s/${sub}`,
      kustomize(path.join(example, sub)),
    ]),
  ];
}

test('every rendered object validates against the OpenAPI schema of its kind', async () => {
  for (const [name, objects] of await renders()) {
    assert.ok(objects.length > 0, `${name} renders objects`);
    // cert-manager's kinds are checked field by field in certificates.test.ts.
    const core = objects.filter((o) => !o.apiVersion.startsWith('cert-manager.io/'));
    assert.deepEqual(core.flatMap(schemaProblems), [], name);
  }
});

test('the schema check catches a bad object (so a pass means something)', () => {
  const bad: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bad' },
    spec: { replicas: 'two', selector: {}, template: {} },
  };
  assert.match(schemaProblems(bad)[0] ?? '', /Deployment \/bad: .*replicas must be integer/);
  assert.match(schemaProblems({ ...bad, kind: 'Gadget' })[0] ?? '', /no schema known/);
});

test('k8s/ installs the control plane, edge, IngressClass and injector with mutual TLS', async () => {
  const objects = kustomize(k8sCleanCheckout());
  const ns = find(objects, 'Namespace', 'kxds');
  assert.equal(ns.metadata.name, 'kxds');

  const cp = find(objects, 'Deployment', 'kxds');
  assert.equal(spec(cp).replicas, 2);
  const kxds = podSpec(cp).containers[0];
  assert.equal(podSpec(cp).serviceAccountName, 'kxds');
  assert.equal(kxds.readinessProbe.httpGet.path, '/readyz');
  assert.equal(kxds.livenessProbe.httpGet.path, '/healthz');
  assert.ok(kxds.args.includes('--admin-address=127.0.0.1:9090'), 'debug API and status page on localhost');
  assert.ok(
    kxds.args.includes('--metrics-address=0.0.0.0:9091'),
    'metrics and probes on a port of their own',
  );
  for (const probe of [kxds.readinessProbe, kxds.livenessProbe])
    assert.equal(probe.httpGet.port, 'http-metrics', 'the kubelet probes the port it can reach');
  assert.ok(kxds.args.includes('--issue-certificates'), 'kxds makes its own certificates');
  for (const volume of podSpec(cp).volumes)
    assert.equal(
      volume.secret.optional,
      true,
      `${volume.name}: kxds starts before its leader wrote the Secret`,
    );
  for (const flag of ['--xds-tls-cert=', '--xds-tls-key=', '--xds-client-ca='])
    assert.ok(
      kxds.args.some((a: string) => a.startsWith(flag)),
      `${flag} (mTLS on by default)`,
    );
  assert.ok(kxds.resources.requests && kxds.resources.limits);
  assertHeapFitsContainer(kxds);
  assert.equal(podSpec(cp).securityContext.runAsNonRoot, true);
  assert.equal(kxds.securityContext.readOnlyRootFilesystem, true);
  assert.ok(podSpec(cp).affinity.podAntiAffinity, 'replicas spread over nodes');
  assert.ok(
    objects.some(
      (o) =>
        o.kind === 'PodDisruptionBudget' && spec(o).selector.matchLabels['app.kubernetes.io/name'] === 'kxds',
    ),
  );

  const svc = find(objects, 'Service', 'kxds');
  const ports = Object.fromEntries(spec(svc).ports.map((p: any) => [p.name, [p.port, p.targetPort]]));
  assert.deepEqual(ports['grpc-xds'], [18000, 'grpc-xds']);
  assert.deepEqual(ports['https-webhook'], [443, 'https-webhook']);
  assert.equal(kxds.ports.find((p: any) => p.name === 'https-webhook').containerPort, 8443);
  assert.deepEqual(ports['http-metrics'], [9091, 'http-metrics']);
  assert.equal(ports['http-admin'], undefined, 'the admin address is not exposed');
  assert.equal(kxds.ports.find((p: any) => p.name === 'http-metrics').containerPort, 9091);

  assert.equal(spec(find(objects, 'IngressClass', 'kxds')).controller, 'kxds.io/ingress-controller');

  const edge = find(objects, 'Deployment', 'kxds-edge');
  assert.equal(spec(edge).replicas, 2);
  assert.match(podSpec(edge).containers[0].image, /^envoyproxy\/envoy:/);
  const edgeVolumes = Object.fromEntries(podSpec(edge).volumes.map((v: any) => [v.name, v]));
  assert.match(edgeVolumes.bootstrap.configMap.name, /^kxds-edge-bootstrap-/);
  assert.equal(edgeVolumes['xds-tls'].secret.secretName, 'kxds-edge-tls', 'the edge has its own credential');
  assert.equal(edgeVolumes['xds-tls'].secret.optional, undefined, 'the edge waits for its certificate');
  assert.equal(podSpec(edge).serviceAccountName, 'kxds-edge', 'the ServiceAccount of the edge identity');
  assert.equal(podSpec(edge).automountServiceAccountToken, false, 'no API token in the edge');
  assert.deepEqual(
    objects.filter((o) => o.kind === 'Secret'),
    [],
    'no Secret in the manifests: kxds writes them in the cluster',
  );
  assert.ok(
    kxds.args.includes('--sidecar-xds-tls-secret=kxds-sidecar-tls'),
    'sidecars mount their namespace credential, not the edge one',
  );
  const edgeSvc = find(objects, 'Service', 'kxds-edge');
  assert.equal(spec(edgeSvc).type, 'LoadBalancer');
  assert.deepEqual(
    spec(edgeSvc).ports.map((p: any) => [p.port, p.targetPort]),
    [
      [80, 'http'],
      [443, 'https'],
    ],
  );
  const edgePorts = Object.fromEntries(
    podSpec(edge).containers[0].ports.map((p: any) => [p.name, p.containerPort]),
  );
  assert.deepEqual([edgePorts.http, edgePorts.https], [8080, 8443]);

  const mwc = find(objects, 'MutatingWebhookConfiguration', 'kxds-sidecar-injector');
  for (const webhook of (mwc as any).webhooks) {
    assert.equal(webhook.failurePolicy, 'Fail');
    assert.equal(webhook.sideEffects, 'None');
    assert.equal(webhook.reinvocationPolicy, 'IfNeeded');
    assert.equal(webhook.timeoutSeconds, 5);
    assert.deepEqual(webhook.admissionReviewVersions, ['v1']);
    assert.deepEqual(webhook.clientConfig.service, {
      name: 'kxds',
      namespace: 'kxds',
      path: '/mutate',
      port: 443,
    });
    assert.equal(
      webhook.clientConfig.caBundle,
      undefined,
      'the caBundle is set in the cluster, never applied',
    );
    const excluded = webhook.namespaceSelector.matchExpressions.find(
      (e: any) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'NotIn',
    );
    assert.ok(excluded.values.includes('kxds'), "kxds's own namespace is never injected");
    assert.ok(webhook.objectSelector, 'pods can opt out (or in) by label');
  }
  const selectors = (mwc as any).webhooks.map((w: any) => JSON.stringify(w.namespaceSelector));
  assert.ok(selectors.some((s: string) => s.includes('"operator":"In","values":["enabled"]')));
});

test('the dev overlay runs one replica of each without blocking drains', async () => {
  const objects = kustomize(path.join(k8sCleanCheckout(), 'overlays', 'dev'));
  assert.equal(spec(find(objects, 'Deployment', 'kxds')).replicas, 1);
  assert.equal(spec(find(objects, 'Deployment', 'kxds-edge')).replicas, 1);
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget'))
    assert.deepEqual([spec(pdb).minAvailable, spec(pdb).maxUnavailable], [undefined, 1]);
});

test('the example: three greeter pods, a gRPC Service, an Ingress, and a client per path', () => {
  const objects = kustomize(path.join(REPO, 'examples', 'greeter', 'k8s'));
  const greeter = find(objects, 'Deployment', 'greeter');
  assert.equal(spec(greeter).replicas, 3);
  const env = podSpec(greeter).containers[0].env;
  assert.deepEqual(env.find((e: any) => e.name === 'POD_NAME').valueFrom.fieldRef, {
    fieldPath: 'metadata.name',
  });
  assert.equal(spec(find(objects, 'Service', 'greeter')).ports[0].appProtocol, 'grpc');
  const ingress = find(objects, 'Ingress', 'greeter');
  assert.equal(spec(ingress).ingressClassName, 'kxds');
  assert.equal(spec(ingress).rules[0].host, 'greeter.example.com');

  const args = (name: string): string[] => podSpec(find(objects, 'Deployment', name)).containers[0].args;
  assert.ok(args('greeter-client-edge').includes('--authority=greeter.example.com'));
  assert.ok(args('greeter-client-sidecar').includes('--target=127.0.0.1:15001'));
  assert.equal(
    spec(find(objects, 'Deployment', 'greeter-client-sidecar')).template.metadata.labels['kxds.io/inject'],
    'true',
  );
  const proxyless = podSpec(find(objects, 'Deployment', 'greeter-client-proxyless'));
  assert.ok(args('greeter-client-proxyless').some((a) => a.startsWith('--target=xds:///greeter.demo')));
  assert.equal(proxyless.containers[0].env[0].name, 'GRPC_XDS_BOOTSTRAP');
  assert.deepEqual(proxyless.initContainers[0].args.slice(0, 2), ['bootstrap', '--role=proxyless']);
  for (const d of objects.filter((o) => o.kind === 'Deployment'))
    assert.equal(podSpec(d).containers[0].image, 'kxds:0.1.0', `${d.metadata.name} runs the kxds image`);
});

/** V8's heap limit (NODE_OPTIONS) is set, and leaves a quarter to a half of the memory limit for the rest. */
function assertHeapFitsContainer(container: any): void {
  const mebibytes = (quantity: string): number => {
    const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
    assert.ok(match, `memory limit ${quantity} in Mi or Gi`);
    return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
  };
  const limit = mebibytes(container.resources.limits.memory);
  const nodeOptions = container.env.find((e: any) => e.name === 'NODE_OPTIONS')?.value ?? '';
  const heap = /--max-old-space-size=(\d+)/.exec(nodeOptions);
  assert.ok(heap, `NODE_OPTIONS sets --max-old-space-size (got "${nodeOptions}")`);
  const ratio = Number(heap[1]) / limit;
  assert.ok(ratio >= 0.5 && ratio <= 0.8, `heap ${heap[1]} MiB of a ${limit} MiB limit`);
}

test('the webhook and the xDS port serve with keys from different Secrets', async () => {
  const cp = find(kustomize(k8sCleanCheckout()), 'Deployment', 'kxds');
  const kxds = podSpec(cp).containers[0];
  const secretOfFile = (flag: string): string => {
    const file = kxds.args.find((a: string) => a.startsWith(`${flag}=`))?.slice(flag.length + 1) ?? '';
    const mount = kxds.volumeMounts.find((m: any) => file.startsWith(`${m.mountPath}/`));
    assert.ok(mount, `${flag} ${file} is on a mounted volume`);
    return podSpec(cp).volumes.find((v: any) => v.name === mount.name).secret.secretName;
  };
  const xds = secretOfFile('--xds-tls-key');
  const webhook = secretOfFile('--webhook-key');
  assert.match(xds, /^kxds-server-tls/);
  assert.match(webhook, /^kxds-webhook-tls/);
});
