// Small builders for route-rule tests: a model with Services and slices, a listener, a rule context.
import { modelFrom } from '../../../src/model/store';
import type { WatchedObject } from '../../../src/model/k8s';
import type { GatewayApiObject } from '../../../src/model/gateway-api';
import type { ListenerContext, RuleContext } from '../../../src/frontends/gateway/contract';

export const LISTENER: ListenerContext = {
  gateway: { namespace: 'infra', name: 'gw' },
  port: 80,
  protocol: 'HTTP',
  hostnames: ['*'],
};

export function service(
  name: string,
  namespace = 'apps',
  port = 80,
  extra: Record<string, unknown> = {},
): WatchedObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { ports: [{ name: 'http', port, targetPort: 8080, ...extra }] },
  } as WatchedObject;
}

export function httpRoute(
  spec: Record<string, unknown>,
  name = 'r',
  namespace = 'apps',
): GatewayApiObject<'HTTPRoute'> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace, creationTimestamp: '2026-01-01T00:00:00Z', generation: 3 },
    spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], ...spec },
  };
}

export function grpcRoute(
  spec: Record<string, unknown>,
  name = 'g',
  namespace = 'apps',
): GatewayApiObject<'GRPCRoute'> {
  return { ...httpRoute(spec, name, namespace), kind: 'GRPCRoute' } as GatewayApiObject<'GRPCRoute'>;
}

export function ruleContext(...objects: WatchedObject[]): RuleContext {
  return {
    model: modelFrom(objects),
    options: {
      address: '127.0.0.1',
      privilegedPortOffset: 10000,
      allowExternalName: false,
      connectTimeoutMs: 2500,
    },
    warnings: [],
  };
}
