// Gateway API objects from manifests pass the CRDs' OpenAPI schemas and CEL rules, or are refused with the
// rule's own message and the field it is about, as the API server would refuse them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest, type ManifestProblem } from '../../../src/sources/manifest-parse';
import { gatewayApiVersions, GATEWAY_API_KIND_NAMES } from '../../../src/model/gateway-api';
import * as F from './fixtures';

type Loose = Record<string, unknown>;

const copy = <T>(o: T): T => structuredClone(o);
const json = (...objects: object[]): string => objects.map((o) => JSON.stringify(o)).join('\n---\n');

function refused(object: object): ManifestProblem {
  const parsed = parseManifest(json(object));
  assert.equal(parsed.ok, false, `expected ${JSON.stringify(object).slice(0, 80)} to be refused`);
  const [problem] = parsed.ok ? [] : parsed.problems;
  assert.ok(problem);
  return problem;
}

test('one valid object of every Gateway API kind (and the CA ConfigMap) is accepted', () => {
  const parsed = parseManifest(json(...F.EVERY_KIND));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.map((p) => p.reason).join('\n'));
  assert.deepEqual(
    parsed.objects.map((o) => o.kind),
    F.EVERY_KIND.map((o) => o.kind),
  );
  const kinds = new Set(parsed.objects.map((o) => o.kind));
  for (const kind of GATEWAY_API_KIND_NAMES) assert.ok(kinds.has(kind), kind);
});

test('every accepted apiVersion of every kind parses; other versions are refused naming the accepted ones', () => {
  for (const object of F.EVERY_KIND) {
    if (object.kind === 'ConfigMap') continue;
    for (const apiVersion of gatewayApiVersions(object.kind as never)) {
      const parsed = parseManifest(json({ ...copy(object), apiVersion }));
      assert.ok(parsed.ok, `${object.kind} ${apiVersion}: ${parsed.ok ? '' : parsed.problems[0]?.reason}`);
    }
  }
  const problem = refused({ ...copy(F.GATEWAY), apiVersion: 'gateway.networking.k8s.io/v1alpha2' });
  assert.equal(
    problem.reason,
    'apiVersion must be "gateway.networking.k8s.io/v1" or "gateway.networking.k8s.io/v1beta1" for kind Gateway, got "gateway.networking.k8s.io/v1alpha2"',
  );
});

test('an invalid object of every kind is refused by the schema, naming the object and the field', () => {
  const cases: [object, string, string][] = [
    [{ ...copy(F.GATEWAY_CLASS), spec: {} }, 'GatewayClass kxds', 'spec.controllerName is required'],
    [
      (() => {
        const g = copy(F.GATEWAY);
        delete (g.spec.listeners[0] as Loose).protocol;
        return g;
      })(),
      'Gateway infra/edge',
      'spec.listeners[0].protocol is required',
    ],
    [
      { ...copy(F.LISTENER_SET), spec: { listeners: F.LISTENER_SET.spec.listeners } },
      'ListenerSet team-a/team-a',
      'spec.parentRef is required',
    ],
    [
      (() => {
        const r = copy(F.HTTP_ROUTE);
        (r.spec.rules[0]!.matches[0]!.path as Loose).type = 'Glob';
        return r;
      })(),
      'HTTPRoute team-a/shop',
      'spec.rules[0].matches[0].path.type must be one of "Exact", "PathPrefix", "RegularExpression"',
    ],
    [
      (() => {
        const r = copy(F.GRPC_ROUTE);
        (r.spec.rules[0]!.backendRefs[0] as Loose).port = 70000;
        return r;
      })(),
      'GRPCRoute team-a/greeter',
      'spec.rules[0].backendRefs[0].port must be <= 65535',
    ],
    [
      { ...copy(F.REFERENCE_GRANT), spec: { from: [] } },
      'ReferenceGrant certs/from-infra',
      'spec.to is required',
    ],
    [
      { ...copy(F.BACKEND_TLS_POLICY), spec: { targetRefs: F.BACKEND_TLS_POLICY.spec.targetRefs } },
      'BackendTLSPolicy team-a/cart-tls',
      'spec.validation is required',
    ],
    [
      { ...copy(F.TLS_ROUTE), spec: { hostnames: ['pg.example.com'] } },
      'TLSRoute team-a/pg-tls',
      'spec.rules is required',
    ],
    [
      { ...copy(F.TCP_ROUTE), spec: { ...F.TCP_ROUTE.spec, rules: [] } },
      'TCPRoute team-a/db',
      'spec.rules must have at least 1 items',
    ],
    [
      { ...copy(F.UDP_ROUTE), spec: { ...F.UDP_ROUTE.spec, parentRefs: [{ name: '' }] } },
      'UDPRoute team-a/dns',
      'spec.parentRefs[0].name must have at least 1 characters',
    ],
    [
      { ...copy(F.CA_CONFIG_MAP), data: { 'ca.crt': 1 } },
      'ConfigMap team-a/cart-ca',
      'data.ca.crt must be a string',
    ],
  ];
  for (const [object, name, reason] of cases) {
    const problem = refused(object);
    assert.equal(problem.object, name);
    assert.ok(problem.reason.includes(reason), `${name}: "${problem.reason}" lacks "${reason}"`);
  }
});

/** A Gateway with the given listeners, refused or not. */
const gatewayWith = (listeners: Loose[]): object => ({
  ...copy(F.GATEWAY),
  spec: { gatewayClassName: 'kxds', listeners },
});

test('CEL: Gateway listener rules fire with their own messages', () => {
  const cases: [Loose[], string][] = [
    [
      [{ name: 'db', port: 5432, protocol: 'TCP', hostname: 'db.example.com' }],
      "hostname must not be specified for protocols ['TCP', 'UDP']",
    ],
    [
      [{ name: 'web', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } }],
      "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    ],
    [
      [{ name: 'web', port: 443, protocol: 'HTTPS', tls: { mode: 'Passthrough' } }],
      'tls mode must be Terminate for protocol HTTPS',
    ],
    [
      [
        { name: 'web', port: 80, protocol: 'HTTP' },
        { name: 'web', port: 81, protocol: 'HTTP' },
      ],
      'Listener name must be unique within the Gateway',
    ],
    [
      [
        { name: 'a', port: 80, protocol: 'HTTP', hostname: 'a.example.com' },
        { name: 'b', port: 80, protocol: 'HTTP', hostname: 'a.example.com' },
      ],
      'Combination of port, protocol and hostname must be unique for each listener',
    ],
  ];
  for (const [listeners, message] of cases) {
    const problem = refused(gatewayWith(listeners));
    assert.equal(problem.reason, `spec.listeners: ${message}`);
    assert.deepEqual(problem.refused?.ref, {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      namespace: 'infra',
      name: 'edge',
    });
  }
  // An HTTPS listener without a mode gets the default (Terminate), so the rule holds.
  assert.ok(parseManifest(json(gatewayWith([{ name: 'web', port: 443, protocol: 'HTTPS', tls: {} }]))).ok);
  // Same port and protocol with different hostnames is fine.
  const distinct = gatewayWith([
    { name: 'a', port: 80, protocol: 'HTTP', hostname: 'a.example.com' },
    { name: 'b', port: 80, protocol: 'HTTP', hostname: 'b.example.com' },
  ]);
  assert.ok(parseManifest(json(distinct)).ok);
});

test('CEL: HTTPRoute filter rules fire per rule, naming the rule', () => {
  const route = copy(F.HTTP_ROUTE);
  route.spec.rules.push({
    matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
    filters: [
      { type: 'RequestRedirect', requestRedirect: { statusCode: 301 } } as never,
      { type: 'URLRewrite', urlRewrite: { hostname: 'new.example.com' } } as never,
    ],
    backendRefs: [],
  });
  assert.equal(
    refused(route).reason,
    'spec.rules[1].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
  );
  const twice = copy(F.HTTP_ROUTE);
  twice.spec.rules[0]!.filters.push(copy(F.HTTP_ROUTE.spec.rules[0]!.filters[0]!));
  assert.equal(
    refused(twice).reason,
    'spec.rules[0].filters: RequestHeaderModifier filter cannot be repeated',
  );
  const mismatched = copy(F.HTTP_ROUTE);
  (mismatched.spec.rules[0]!.filters[0] as Loose).urlRewrite = { hostname: 'x.example.com' };
  assert.equal(
    refused(mismatched).reason,
    'spec.rules[0].filters[0]: filter.urlRewrite must be nil if the filter.type is not URLRewrite',
  );
});

test('CEL: two parentRefs to the same Gateway need sectionNames (defaults group and kind applied first)', () => {
  const route = copy(F.HTTP_ROUTE);
  route.spec.parentRefs = [
    { name: 'edge', namespace: 'infra' },
    { name: 'edge', namespace: 'infra', sectionName: 'https' } as never,
  ];
  assert.equal(
    refused(route).reason,
    'spec.parentRefs: sectionName must be specified when parentRefs includes 2 or more references to the same parent',
  );
  const parsed = parseManifest(json(F.HTTP_ROUTE));
  assert.ok(parsed.ok);
  const stored = parsed.objects[0] as unknown as { spec: { parentRefs: Loose[] } };
  assert.deepEqual(stored.spec.parentRefs[0], {
    name: 'edge',
    namespace: 'infra',
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
  });
});
