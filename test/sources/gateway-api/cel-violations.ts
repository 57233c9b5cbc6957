// One document per Gateway API kind that breaks one CEL rule of its CRD, with the field and message the API
// server would refuse it with. Shared by the parse-level and the CLI tests.
import * as F from './fixtures';

export interface CelViolation {
  document: { kind: string } & Record<string, unknown>;
  /** "Kind namespace/name", as problems name objects. */
  object: string;
  field: string;
  message: string;
}

type Loose = Record<string, unknown>;
const copy = <T>(o: T): T => structuredClone(o);

function edit<T extends { kind: string }>(base: T, change: (o: T) => void): T & Loose {
  const o = copy(base);
  change(o);
  return o as T & Loose;
}

const sameParentTwice = (o: { spec: Loose }) => {
  o.spec.parentRefs = [
    { name: 'edge', namespace: 'infra' },
    { name: 'edge', namespace: 'infra', sectionName: 'tls' },
  ];
};

export const CEL_VIOLATIONS: CelViolation[] = [
  {
    document: edit(F.GATEWAY, (g) => g.spec.listeners.push(copy(g.spec.listeners[0]!))),
    object: 'Gateway infra/edge',
    field: 'spec.listeners',
    message: 'Listener name must be unique within the Gateway',
  },
  {
    document: edit(F.LISTENER_SET, (s) => ((s.spec.listeners[0] as Loose).tls = { mode: 'Terminate' })),
    object: `ListenerSet ${F.LISTENER_SET.metadata.namespace}/${F.LISTENER_SET.metadata.name}`,
    field: 'spec.listeners',
    message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
  },
  {
    document: edit(F.HTTP_ROUTE, (r) => (r.spec.rules[0]!.matches[0]!.path.value = '/cart//items')),
    object: 'HTTPRoute team-a/shop',
    field: 'spec.rules[0].matches[0].path',
    message: "must not contain '//' when type one of ['Exact', 'PathPrefix']",
  },
  {
    // No type: the default (PathPrefix) applies before the rule, as in the API server.
    document: edit(F.HTTP_ROUTE, (r) => (r.spec.rules[0]!.matches[0]!.path = { value: 'cart' } as never)),
    object: 'HTTPRoute team-a/shop',
    field: 'spec.rules[0].matches[0].path',
    message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
  },
  {
    document: edit(
      F.HTTP_ROUTE,
      (r) => ((r.spec.rules[0] as Loose).timeouts = { request: '5s', backendRequest: '10s' }),
    ),
    object: 'HTTPRoute team-a/shop',
    field: 'spec.rules[0].timeouts',
    message: 'backendRequest timeout cannot be longer than request timeout',
  },
  {
    document: edit(F.HTTP_ROUTE, (r) =>
      r.spec.rules[0]!.filters.push({
        type: 'RequestRedirect',
        requestRedirect: { statusCode: 301 },
      } as never),
    ),
    object: 'HTTPRoute team-a/shop',
    field: 'spec.rules[0]',
    message: 'RequestRedirect filter must not be used together with backendRefs',
  },
  {
    document: edit(
      F.HTTP_ROUTE,
      (r) =>
        ((r.spec.rules[0]!.backendRefs[0] as Loose).filters = [
          { type: 'CORS', cors: { allowOrigins: ['*', 'https://a.example.com'] } },
        ]),
    ),
    object: 'HTTPRoute team-a/shop',
    field: 'spec.rules[0].backendRefs[0].filters[0].cors.allowOrigins',
    message: "AllowOrigins cannot contain '*' alongside other origins",
  },
  {
    document: edit(F.GRPC_ROUTE, (r) => {
      const modifier = {
        type: 'RequestHeaderModifier',
        requestHeaderModifier: { set: [{ name: 'x', value: '1' }] },
      };
      (r.spec.rules[0] as Loose).filters = [modifier, copy(modifier)];
    }),
    object: 'GRPCRoute team-a/greeter',
    field: 'spec.rules[0].filters',
    message: 'RequestHeaderModifier filter cannot be repeated',
  },
  {
    document: edit(
      F.BACKEND_TLS_POLICY,
      (p) => ((p.spec.validation as Loose).wellKnownCACertificates = 'System'),
    ),
    object: 'BackendTLSPolicy team-a/cart-tls',
    field: 'spec.validation',
    message: 'must not contain both CACertificateRefs and WellKnownCACertificates',
  },
  {
    document: edit(
      F.BACKEND_TLS_POLICY,
      (p) => ((p.spec.validation as Loose).subjectAltNames = [{ type: 'URI' }]),
    ),
    object: 'BackendTLSPolicy team-a/cart-tls',
    field: 'spec.validation.subjectAltNames[0]',
    message: 'SubjectAltName element must contain URI, if Type is set to URI',
  },
  ...[F.TLS_ROUTE, F.TCP_ROUTE, F.UDP_ROUTE].map((route) => ({
    document: edit(route, sameParentTwice as never),
    object: `${route.kind} ${route.metadata.namespace}/${route.metadata.name}`,
    field: 'spec.parentRefs',
    message: 'sectionName must be specified when parentRefs includes 2 or more references to the same parent',
  })),
];
