// Route-rule translation of a whole model, the way the Gateway front-end will drive it, for tests that run
// before (or beside) the listener half: every HTTPRoute and GRPCRoute is attached to the listener its first
// parentRef names (sectionName), else the model's first Gateway's first listener; the ranked routes go into
// one virtual host "*" of one clear-text HTTP listener. Used by the route-rule goldens and the e2e suite.
import type { ModelView } from '../../src/model/store';
import type { GatewayApiObject } from '../../src/model/gateway-api';
import type { IrCluster, IrEndpoints, IrServicePortRef } from '../../src/ir/clusters';
import type { GroupIr } from '../../src/ir/group';
import type { Statuses } from '../../src/translate/findings';
import type {
  GatewayOptions,
  ListenerContext,
  RankedRoute,
  RouteCondition,
} from '../../src/frontends/gateway/contract';
import { compareRankedRoutes, translateRouteRules } from '../../src/frontends/gateway/routes';

export const TEST_GATEWAY_OPTIONS: GatewayOptions = {
  address: '127.0.0.1',
  privilegedPortOffset: 10000,
  allowExternalName: false,
  connectTimeoutMs: 5000,
};

interface GatewayListener {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
}

type Route = GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>;

function listenerFor(route: Route, gateway: GatewayApiObject<'Gateway'>): ListenerContext {
  const listeners = (gateway.spec.listeners ?? []) as GatewayListener[];
  const parent = ((route.spec.parentRefs ?? []) as { sectionName?: string }[])[0];
  const listener = listeners.find((l) => l.name === parent?.sectionName) ?? listeners[0];
  if (!listener) throw new Error('the Gateway has no listeners');
  return {
    gateway: { namespace: gateway.metadata.namespace ?? 'default', name: gateway.metadata.name },
    port: listener.port,
    protocol: listener.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
    hostnames: (route.spec.hostnames as string[] | undefined) ?? [listener.hostname ?? '*'],
  };
}

export interface RoutesIr {
  gateway: { namespace: string; name: string };
  group: GroupIr;
  ranked: RankedRoute[];
  routeConditions: { route: string; conditions: RouteCondition[] }[];
  backendPorts: IrServicePortRef[];
  warnings: Statuses;
}

/** The model's routes as one listener's IR; `listenerPort` is the port the IR listener declares. */
export function routesIr(model: ModelView, listenerPort: number, options = TEST_GATEWAY_OPTIONS): RoutesIr {
  const [gateway] = model.list('Gateway');
  if (!gateway) throw new Error('the model has no Gateway');
  const warnings: Statuses = [];
  const ctx = { model, options, warnings };
  const ranked: RankedRoute[] = [];
  const clusters = new Map<string, IrCluster>();
  const endpoints = new Map<string, IrEndpoints>();
  const backendPorts: IrServicePortRef[] = [];
  const routeConditions: RoutesIr['routeConditions'] = [];
  for (const route of [...model.list('HTTPRoute'), ...model.list('GRPCRoute')] as Route[]) {
    const translated = translateRouteRules(route, listenerFor(route, gateway), ctx);
    ranked.push(...translated.routes);
    for (const c of translated.clusters) clusters.set(c.name, c);
    for (const e of translated.endpoints) endpoints.set(e.clusterName, e);
    backendPorts.push(...(translated.backendPorts ?? []));
    const name = `${route.kind} ${route.metadata.namespace ?? 'default'}/${route.metadata.name}`;
    routeConditions.push({ route: name, conditions: translated.conditions });
  }
  ranked.sort(compareRankedRoutes);
  const group: GroupIr = {
    listeners: [
      {
        kind: 'http',
        name: 'gateway-http',
        address: options.address,
        port: listenerPort,
        routes: { name: 'gateway-http', virtualHosts: [{ host: '*', routes: ranked.map((r) => r.route) }] },
      },
    ],
    clusters: [...clusters.values()],
    endpoints: [...endpoints.values()],
    secrets: [],
  };
  return {
    gateway: { namespace: gateway.metadata.namespace ?? 'default', name: gateway.metadata.name },
    group,
    ranked,
    routeConditions,
    backendPorts,
    warnings,
  };
}
