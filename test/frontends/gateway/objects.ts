// Gateway API objects for tests, built in code: kxds' GatewayClass, a Gateway with listeners, an HTTPRoute.
import type { WatchedObject } from '../../../src/model/k8s';

const GW = 'gateway.networking.k8s.io/v1';

export function kxdsClass(): WatchedObject {
  return {
    apiVersion: GW,
    kind: 'GatewayClass',
    metadata: { name: 'kxds' },
    spec: { controllerName: 'kxds.io/gateway-controller' },
  };
}

export function gateway(listeners: Record<string, unknown>[], generation = 1, name = 'web'): WatchedObject {
  return {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { namespace: 'infra', name, generation },
    spec: { gatewayClassName: 'kxds', listeners },
  };
}

export function httpRoute(name: string, spec: Record<string, unknown>, generation = 1): WatchedObject {
  return { apiVersion: GW, kind: 'HTTPRoute', metadata: { namespace: 'infra', name, generation }, spec };
}
