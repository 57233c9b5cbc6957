// Gateway route rules served to the Envoy double: Kubernetes objects -> route-rule IR (gateway-routes.ts)
// -> the Envoy back-end -> an in-process xDS server -> the double, which binds the Gateway listener's port
// on loopback. For conformance-style tests of route rules before the whole front-end serves Gateways.
import type { TestContext } from 'node:test';
import { groupResources } from '../../src/envoy/group';
import { modelFrom } from '../../src/model/store';
import type { WatchedObject } from '../../src/model/k8s';
import { TranslationMemos } from '../../src/translate/translation-memos';
import { startEnvoyDouble, type EnvoyDouble } from '../envoy-double';
import { startStaticXds } from '../envoy-double/static-xds';
import { routesIr, type RoutesIr } from './gateway-routes';
import { service, endpointSlice } from './k8s-fixtures';

export interface GatewayDouble {
  envoy: EnvoyDouble;
  /** The loopback port serving the Gateway listener. */
  port: number;
  ir: RoutesIr;
}

export async function serveRoutesToDouble(
  t: TestContext,
  objects: readonly WatchedObject[],
  listenerPort: number,
  random?: () => number,
): Promise<GatewayDouble> {
  const ir = routesIr(modelFrom(objects), listenerPort);
  const xds = await startStaticXds(t);
  const resources = groupResources(ir.group, new TranslationMemos().groupMemos());
  xds.publish((set) => {
    for (const kind of ['listener', 'route', 'cluster', 'endpoint'] as const)
      for (const [name, value] of resources[kind]) set[kind].set(name, value as never);
  });
  const envoy = await startEnvoyDouble({ xdsAddress: xds.address, ...(random ? { random } : {}) });
  t.after(() => envoy.close());
  await envoy.ready();
  return { envoy, port: envoy.port(listenerPort), ir };
}

/** A Service NS/NAME (port 80 "http", or `appProtocol`) whose one endpoint is a loopback backend. */
export function backend(
  namespace: string,
  name: string,
  target: { host: string; port: number },
  port: { number?: number; name?: string; appProtocol?: string } = {},
): WatchedObject[] {
  const portName = port.name ?? 'http';
  return [
    service(namespace, name, [
      {
        name: portName,
        port: port.number ?? 80,
        ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
      },
    ]),
    endpointSlice(
      namespace,
      name,
      `${name}-1`,
      [{ name: portName, port: target.port }],
      [{ ip: target.host }],
    ),
  ];
}

export function gatewayObject(port: number): WatchedObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra' },
    spec: { gatewayClassName: 'kxds', listeners: [{ name: 'http', port, protocol: 'HTTP' }] },
  } as WatchedObject;
}

export function routeObject(
  kind: 'HTTPRoute' | 'GRPCRoute',
  namespace: string,
  name: string,
  rules: unknown[],
): WatchedObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    metadata: { name, namespace, creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 },
    spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules },
  } as WatchedObject;
}
