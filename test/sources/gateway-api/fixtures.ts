// One valid object of every Gateway API kind kxds reads, written as the Gateway API docs show them, for the
// schema and CEL tests and the end-to-end test. Each is a plain object; tests change copies.

export const GATEWAY_CLASS = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name: 'kxds' },
  spec: { controllerName: 'kxds.io/gateway-controller' },
};

export const GATEWAY = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'edge', namespace: 'infra' },
  spec: {
    gatewayClassName: 'kxds',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      {
        name: 'https',
        port: 443,
        protocol: 'HTTPS',
        hostname: '*.example.com',
        tls: { certificateRefs: [{ name: 'example-com' }] },
      },
      { name: 'db', port: 5432, protocol: 'TCP' },
    ],
  },
};

export const LISTENER_SET = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'ListenerSet',
  metadata: { name: 'team-a', namespace: 'team-a' },
  spec: {
    parentRef: { name: 'edge', namespace: 'infra' },
    listeners: [{ name: 'shop', port: 8080, protocol: 'HTTP', hostname: 'shop.example.com' }],
  },
};

export const HTTP_ROUTE = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'shop', namespace: 'team-a' },
  spec: {
    parentRefs: [{ name: 'edge', namespace: 'infra' }],
    hostnames: ['shop.example.com'],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/cart' } }],
        filters: [
          { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: '1' }] } },
        ],
        backendRefs: [
          { name: 'cart', port: 8080, weight: 90 },
          { name: 'cart-canary', port: 8080, weight: 10 },
        ],
      },
    ],
  },
};

export const GRPC_ROUTE = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GRPCRoute',
  metadata: { name: 'greeter', namespace: 'team-a' },
  spec: {
    parentRefs: [{ name: 'edge', namespace: 'infra', sectionName: 'https' }],
    rules: [
      {
        matches: [{ method: { service: 'helloworld.Greeter', method: 'SayHello' } }],
        backendRefs: [{ name: 'greeter', port: 50051 }],
      },
    ],
  },
};

export const REFERENCE_GRANT = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: { name: 'from-infra', namespace: 'certs' },
  spec: {
    from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }],
    to: [{ group: '', kind: 'Secret' }],
  },
};

export const BACKEND_TLS_POLICY = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'BackendTLSPolicy',
  metadata: { name: 'cart-tls', namespace: 'team-a' },
  spec: {
    targetRefs: [{ group: '', kind: 'Service', name: 'cart' }],
    validation: {
      caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'cart-ca' }],
      hostname: 'cart.team-a',
    },
  },
};

export const CA_CONFIG_MAP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cart-ca', namespace: 'team-a' },
  data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
};

export const TLS_ROUTE = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'TLSRoute',
  metadata: { name: 'pg-tls', namespace: 'team-a' },
  spec: {
    parentRefs: [{ name: 'edge', namespace: 'infra' }],
    hostnames: ['pg.example.com'],
    rules: [{ backendRefs: [{ name: 'pg', port: 5432 }] }],
  },
};

export const TCP_ROUTE = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'TCPRoute',
  metadata: { name: 'db', namespace: 'team-a' },
  spec: {
    parentRefs: [{ name: 'edge', namespace: 'infra', sectionName: 'db' }],
    rules: [{ backendRefs: [{ name: 'pg', port: 5432 }] }],
  },
};

export const UDP_ROUTE = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'UDPRoute',
  metadata: { name: 'dns', namespace: 'team-a' },
  spec: {
    parentRefs: [{ name: 'edge', namespace: 'infra' }],
    rules: [{ backendRefs: [{ name: 'coredns', port: 53 }] }],
  },
};

export const EVERY_KIND = [
  GATEWAY_CLASS,
  GATEWAY,
  LISTENER_SET,
  HTTP_ROUTE,
  GRPC_ROUTE,
  REFERENCE_GRANT,
  BACKEND_TLS_POLICY,
  CA_CONFIG_MAP,
  TLS_ROUTE,
  TCP_ROUTE,
  UDP_ROUTE,
];
