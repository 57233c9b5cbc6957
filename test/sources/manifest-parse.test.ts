import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeProblem,
  parseManifest,
  type ManifestParseResult,
  type ManifestProblem,
} from '../../src/sources/manifest-parse';
import type { EndpointSlice, Secret, Service, WatchedObject } from '../../src/model/k8s';

const SERVICE = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ name: http, port: 80, targetPort: 8080 }]
`;

const SLICE = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc
  namespace: shop
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
ports: [{ name: http, port: 8080 }]
endpoints:
  - addresses: [10.0.0.1]
    conditions: { ready: true }
    zone: a
`;

function objectsOf(result: ManifestParseResult): WatchedObject[] {
  assert.ok(result.ok, `expected the file to parse, got ${JSON.stringify(result)}`);
  return result.objects;
}

function problemsOf(result: ManifestParseResult): ManifestProblem[] {
  assert.ok(!result.ok, 'expected the file to be rejected');
  return result.problems;
}

/** Asserts a single problem on the object with a reason matching the pattern. */
function assertOneProblem(text: string, object: string | undefined, reason: RegExp): ManifestProblem {
  const problems = problemsOf(parseManifest(text));
  assert.equal(problems.length, 1, JSON.stringify(problems));
  const [problem] = problems as [ManifestProblem];
  assert.equal(problem.object, object);
  assert.match(problem.reason, reason);
  return problem;
}

test('a multi-document file gives every object, in file order, skipping empty documents', () => {
  const objects = objectsOf(parseManifest(`---\n${SERVICE}---\n# only a comment\n---\n${SLICE}---\n`));
  assert.deepEqual(
    objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
    ['Service shop/web', 'EndpointSlice shop/web-abc'],
  );
  const slice = objects[1] as EndpointSlice;
  assert.deepEqual(slice.endpoints?.[0]?.addresses, ['10.0.0.1']);
  assert.equal(slice.endpoints?.[0]?.zone, 'a');
});

test('a kind: List gives its items, and a bad item names its place in the list', () => {
  const list = `apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }
  - { apiVersion: networking.k8s.io/v1, kind: IngressClass, metadata: { name: kxds }, spec: { controller: kxds.io/ingress } }
`;
  const objects = objectsOf(parseManifest(list));
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    ['Namespace/shop', 'IngressClass/kxds'],
  );
  const bad = `apiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: Namespace, metadata: { name: ok } }\n  - { apiVersion: v1, kind: Namespace, metadata: {} }\n`;
  const problem = assertOneProblem(bad, 'Namespace', /metadata\.name is missing/);
  assert.equal(problem.location, 'document 1, item 2');
});

test('a JSON file parses like YAML', () => {
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  assert.deepEqual(objectsOf(parseManifest(json)), [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  ]);
});

test('each watched kind parses; namespaced kinds default to "default", cluster-scoped ones have no namespace', () => {
  const text = [
    'apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: { ports: [{ port: 80 }] }',
    'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: { name: a-1, labels: { kubernetes.io/service-name: a } }\naddressType: IPv4\nendpoints: []',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: a }\nspec: { defaultBackend: { service: { name: a, port: { number: 80 } } } }',
    'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: kxds, namespace: ignored }',
    'apiVersion: v1\nkind: Secret\nmetadata: { name: tls }\ntype: kubernetes.io/tls\ndata: { tls.crt: Y2VydA==, tls.key: a2V5 }',
    'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }',
    'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: app, ports: [{ containerPort: 8080 }] }] }',
  ].join('\n---\n');
  const objects = objectsOf(parseManifest(text));
  assert.deepEqual(
    objects.map((o) => [o.kind, o.metadata.namespace]),
    [
      ['Service', 'default'],
      ['EndpointSlice', 'default'],
      ['Ingress', 'default'],
      ['IngressClass', undefined],
      ['Secret', 'default'],
      ['Namespace', undefined],
      ['Pod', 'default'],
    ],
  );
  const ingressClass = objects[3];
  assert.ok(ingressClass?.kind === 'IngressClass');
  assert.deepEqual(ingressClass.spec, {}, 'a missing IngressClass spec becomes an empty one');
});

test('fields kxds does not read pass through untouched', () => {
  const [svc] = objectsOf(
    parseManifest(`${SERVICE}  externalTrafficPolicy: Local\nstatus: { custom: 1 }\n`),
  ) as [Service];
  assert.equal((svc.spec as Record<string, unknown>).externalTrafficPolicy, 'Local');
  assert.deepEqual((svc as unknown as Record<string, unknown>).status, { custom: 1 });
});

test('Secret stringData is merged into data as base64 and wins over the same key in data', () => {
  const text = `apiVersion: v1
kind: Secret
metadata: { name: s }
data: { a: b2xk, b: Yg== }
stringData: { a: new, c: "héllo" }
`;
  const [secret] = objectsOf(parseManifest(text)) as [Secret];
  assert.deepEqual(secret.data, {
    a: Buffer.from('new').toString('base64'),
    b: 'Yg==',
    c: Buffer.from('héllo', 'utf8').toString('base64'),
  });
  assert.equal(secret.stringData, undefined);
});

test('Secret data wrapped over several lines is accepted, as the API server accepts it', () => {
  const [secret] = objectsOf(
    parseManifest('apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata:\n  k: |\n    aGVs\n    bG8=\n'),
  ) as [Secret];
  assert.equal(secret.data?.k, 'aGVsbG8=');
});

test('invalid YAML is a problem with its line, and no objects', () => {
  const problem = assertOneProblem(`${SERVICE}---\nkind: [oops\n`, undefined, /invalid YAML.*line 8/);
  assert.equal(problem.location, 'document 2');
});

test('a repeated key is invalid YAML rather than a silent overwrite', () => {
  assertOneProblem(
    'apiVersion: v1\nkind: Namespace\nkind: Namespace\nmetadata: { name: a }\n',
    undefined,
    /unique/,
  );
});

test('kinds kxds does not read are skipped and counted per document, and the file still loads', () => {
  const text = [
    SERVICE,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\nspec: {}\n',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: settings }\n',
    // Knative's Service shares the name of a kind kxds reads but belongs to another API group.
    'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: fn }\nspec: { ports: oops }\n',
    SLICE,
  ].join('---\n');
  const result = parseManifest(text);
  assert.deepEqual(
    objectsOf(result).map((o) => o.kind),
    ['Service', 'EndpointSlice'],
  );
  assert.deepEqual(result.skipped, [
    { type: 'apps/v1 Deployment', object: 'Deployment shop/web', location: 'document 2' },
    { type: 'v1 ServiceAccount', object: 'ServiceAccount default/settings', location: 'document 3' },
    { type: 'serving.knative.dev/v1 Service', object: 'Service default/fn', location: 'document 4' },
  ]);
});

test('of the CRDs, the Gateway API ones are read (slimmed to their bundle version), the others skipped', () => {
  const crd = (name: string) =>
    `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n` +
    `  annotations: { gateway.networking.k8s.io/bundle-version: v1.6.1, other: x }\n` +
    `spec: { group: ${name.slice(name.indexOf('.') + 1)}, names: { kind: K, plural: p }, versions: [] }\n`;
  const result = parseManifest(
    [crd('grpcroutes.gateway.networking.k8s.io'), crd('widgets.example.com')].join('---\n'),
  );
  assert.deepEqual(objectsOf(result), [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: 'grpcroutes.gateway.networking.k8s.io',
        annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.6.1' },
      },
      spec: { group: 'gateway.networking.k8s.io', names: { kind: 'K', plural: 'p' } },
    },
  ]);
  assert.deepEqual(result.skipped, [
    {
      type: 'apiextensions.k8s.io/v1 CustomResourceDefinition',
      object: 'CustomResourceDefinition widgets.example.com',
      location: 'document 2',
    },
  ]);
});

test('a document without apiVersion is a problem, not a skipped kind', () => {
  assertOneProblem(
    'kind: Deployment\nmetadata: { name: web }\n',
    'Deployment default/web',
    /apiVersion is missing/,
  );
});

test('each mistake in an object is its own problem', () => {
  const problems = problemsOf(
    parseManifest(
      'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  ports: [{ port: 0 }, { port: 70000 }]\n',
    ),
  );
  assert.deepEqual(
    problems.map((p) => [p.object, p.reason]),
    [
      ['Service default/web', 'spec.ports[0].port must be an integer from 1 to 65535, got 0'],
      ['Service default/web', 'spec.ports[0].name is required when a Service has more than one port'],
      ['Service default/web', 'spec.ports[1].port must be an integer from 1 to 65535, got 70000'],
      ['Service default/web', 'spec.ports[1].name is required when a Service has more than one port'],
    ],
  );
});

test('a known kind under the wrong apiVersion is a problem', () => {
  assertOneProblem(
    'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: { name: old }\nspec: {}\n',
    'Ingress default/old',
    /apiVersion must be "networking.k8s.io\/v1".*"extensions\/v1beta1"/,
  );
});

test('a document that is not a mapping, or has no kind, is a problem', () => {
  assertOneProblem('- a\n- b\n', undefined, /must be a mapping/);
  assertOneProblem('apiVersion: v1\nmetadata: { name: a }\n', undefined, /kind is missing/);
});

test('names must follow the DNS rule Kubernetes applies to the kind', () => {
  assertOneProblem('apiVersion: v1\nkind: Namespace\n', 'Namespace', /metadata is missing/);
  assertOneProblem(
    'apiVersion: v1\nkind: Service\nmetadata: { name: 1web }\nspec: {}\n',
    'Service default/1web',
    /DNS-1035 label/,
  );
  assertOneProblem(
    'apiVersion: v1\nkind: Namespace\nmetadata: { name: a.b }\n',
    'Namespace a.b',
    /DNS-1123 label/,
  );
  assertOneProblem(
    'apiVersion: v1\nkind: Secret\nmetadata: { name: Web_Cert }\n',
    'Secret default/Web_Cert',
    /DNS-1123 subdomain/,
  );
  assertOneProblem(
    'apiVersion: v1\nkind: Secret\nmetadata: { name: ok, namespace: Bad_NS }\n',
    'Secret Bad_NS/ok',
    /metadata.namespace "Bad_NS" must be a DNS-1123 label/,
  );
  // A dotted name is fine where Kubernetes allows a subdomain.
  objectsOf(parseManifest('apiVersion: v1\nkind: Secret\nmetadata: { name: web.example.com }\n'));
});

test('label values that YAML reads as numbers are a problem, not silently coerced', () => {
  assertOneProblem(
    'apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labels: { version: 1 } }\n',
    'Namespace a',
    /metadata.labels.version must be a string/,
  );
});

test('Service problems: missing spec, ports out of range or not integers, unnamed ports among several', () => {
  assertOneProblem(
    'apiVersion: v1\nkind: Service\nmetadata: { name: a }\n',
    'Service default/a',
    /spec is missing/,
  );
  for (const port of ['0', '65536', '80.5', '"80"']) {
    assertOneProblem(
      `apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: { ports: [{ port: ${port} }] }\n`,
      'Service default/a',
      /spec.ports\[0\].port must be an integer from 1 to 65535/,
    );
  }
  assertOneProblem(
    'apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: { ports: [{ name: x, port: 80 }, { port: 81 }] }\n',
    'Service default/a',
    /spec.ports\[1\].name is required/,
  );
});

test('EndpointSlice problems: addressType, addresses, the service-name label', () => {
  const slice = (body: string, labels = '{ kubernetes.io/service-name: web }') =>
    `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: { name: s, labels: ${labels} }\n${body}\n`;
  assertOneProblem(
    slice('addressType: IP'),
    'EndpointSlice default/s',
    /addressType must be IPv4, IPv6 or FQDN/,
  );
  assertOneProblem(
    slice('addressType: IPv4\nendpoints: [{ addresses: 10.0.0.1 }]'),
    'EndpointSlice default/s',
    /endpoints\[0\].addresses must be a non-empty list/,
  );
  assertOneProblem(
    slice('addressType: IPv4\nendpoints: [{ addresses: [10.0.0.1], conditions: { ready: "yes" } }]'),
    'EndpointSlice default/s',
    /endpoints\[0\].conditions.ready must be true or false/,
  );
  assertOneProblem(
    slice('addressType: IPv4', '{ app: web }'),
    'EndpointSlice default/s',
    /label kubernetes.io\/service-name is missing/,
  );
});

test('Ingress problems: missing spec, bad pathType, backend without a port', () => {
  assertOneProblem(
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: i }\n',
    'Ingress default/i',
    /spec is missing/,
  );
  const ingress = (path: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: i }\nspec:\n  rules:\n    - http:\n        paths: [${path}]\n`;
  assertOneProblem(
    ingress('{ path: /, pathType: Regex, backend: { service: { name: web, port: { number: 80 } } } }'),
    'Ingress default/i',
    /spec.rules\[0\].http.paths\[0\].pathType must be Exact, Prefix or ImplementationSpecific/,
  );
  assertOneProblem(
    ingress('{ path: /, pathType: Prefix, backend: { service: { name: web } } }'),
    'Ingress default/i',
    /backend.service.port needs a name or a number/,
  );
  objectsOf(
    parseManifest(
      ingress('{ path: /, pathType: Prefix, backend: { service: { name: web, port: { name: http } } } }'),
    ),
  );
});

test('Secret problems: data that is not base64, bad keys', () => {
  assertOneProblem(
    'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { tls.crt: "not base64!" }\n',
    'Secret default/s',
    /data.tls.crt is not valid base64/,
  );
  assertOneProblem(
    'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData: { "a/b": x }\n',
    'Secret default/s',
    /stringData key "a\/b"/,
  );
});

test('Pod problems: no containers, bad containerPort', () => {
  assertOneProblem(
    'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: {}\n',
    'Pod default/p',
    /spec.containers/,
  );
  assertOneProblem(
    'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: a, ports: [{ containerPort: 0 }] }] }\n',
    'Pod default/p',
    /containerPort must be an integer/,
  );
});

test('the same object twice in one file is a problem', () => {
  const problem = assertOneProblem(
    `${SERVICE}---\n${SERVICE}`,
    'Service shop/web',
    /defined twice in this file \(also in document 1\)/,
  );
  assert.equal(problem.location, 'document 2');
});

test('one bad document rejects the whole file and every problem is listed', () => {
  const problems = problemsOf(
    parseManifest(`${SERVICE}---\napiVersion: v1\nkind: Service\nmetadata: { name: b }\n---\nkind: Gizmo\n`),
  );
  assert.deepEqual(
    problems.map((p) => p.object),
    ['Service default/b', 'Gizmo'],
  );
});

test('describeProblem names the file, the object, where it is and the reason', () => {
  const [problem] = problemsOf(
    parseManifest(`${SERVICE}---\napiVersion: v1\nkind: Service\nmetadata: { name: b }\n`),
  ) as [ManifestProblem];
  assert.equal(
    describeProblem('manifests/web.yaml', problem),
    'manifests/web.yaml: Service default/b (document 2): spec is missing',
  );
  assert.equal(
    describeProblem('x.yaml', { location: 'document 3', reason: 'invalid YAML: oops' }),
    'x.yaml: document 3: invalid YAML: oops',
  );
  assert.equal(
    describeProblem('x.yaml', { reason: 'cannot read the file (EACCES)' }),
    'x.yaml: cannot read the file (EACCES)',
  );
});

test('an alias bomb is refused instead of expanded', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) {
    const prev = i === 1 ? 'a' : `l${i - 1}`;
    bomb.push(
      `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`,
    );
  }
  assertOneProblem(bomb.join('\n'), undefined, /invalid YAML.*alias/i);
});
