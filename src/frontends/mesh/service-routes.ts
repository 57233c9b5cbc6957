// GAMMA mesh routes: HTTPRoutes and GRPCRoutes whose parentRef is a Service (kind Service, core group)
// decide the calls to that Service port, from proxyless clients ("api" listeners) and sidecars alike. Each
// route's rules go through the same rule translation as a Gateway listener's, with the Service port as the
// parent; the routes of one Service port are ordered by the spec's precedence. Producer routes (in the
// Service's namespace) apply to every caller; consumer routes (in another namespace) apply only to the
// callers in the route's own namespace, and for them they replace the producer routes of that Service port
// (GEP-1426: a consumer refines how it calls a Service; see routesForCaller).
import type { GatewayApiObject } from '../../model/gateway-api';
import type { ModelView } from '../../model/store';
import type { IrCluster } from '../../ir/clusters';
import {
  type GatewayApiStatus,
  type RankedRoute,
  type RouteCondition,
  type RuleContext,
} from '../gateway/contract';
import { compareRankedRoutes, translateRouteRules } from '../gateway/routes';
import { meshParentRefs, type MeshParentRef } from './parent-refs';
import { parentStatus } from './parent-status';
import { meshRoutePolicies } from './route-policies';
import type { IrRoutePolicies } from '../../ir/http';

type MeshRoute = GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>;

/** The key of one Service port: "namespace/name/port", the same as its cluster's name. */
export function servicePortKey(namespace: string, name: string, port: number): string {
  return `${namespace}/${name}/${port}`;
}

export interface MeshRoutes {
  /** Per Service port key, its producer routes, most specific first. Absent: the Service has none. */
  byServicePort: Map<string, RankedRoute[]>;
  /**
   * Per caller namespace, per Service port key, the consumer routes written in that namespace, most
   * specific first. Absent: the namespace has none (its callers get the producer routes).
   */
  consumers: Map<string, Map<string, RankedRoute[]>>;
  /** Every cluster the routes send to, by name (a backend Service port's cluster). */
  clusters: Map<string, IrCluster>;
  /** One per route with at least one Service parent: its `parents` entries for those parents. */
  statuses: GatewayApiStatus[];
}

export function meshRoutes(model: ModelView, ctx: RuleContext): MeshRoutes {
  const out: MeshRoutes = {
    byServicePort: new Map(),
    consumers: new Map(),
    clusters: new Map(),
    statuses: [],
  };
  const routes: MeshRoute[] = [...model.list('HTTPRoute'), ...model.list('GRPCRoute')];
  for (const route of routes) {
    const parents = meshParentRefs(route);
    if (parents.length === 0) continue;
    const policies = meshRoutePolicies(route, ctx.warnings);
    const entries = parents.map((parent) => ({
      parent,
      conditions: attach(route, parent, policies, model, ctx, out),
    }));
    out.statuses.push({
      kind: route.kind,
      namespace: route.metadata.namespace ?? 'default',
      name: route.metadata.name,
      generation: route.metadata.generation ?? 0,
      status: {
        parents: entries.map((e) => parentStatus(e.parent, e.conditions, route.metadata.generation ?? 0)),
      },
    });
  }
  for (const list of out.byServicePort.values()) list.sort(compareRankedRoutes);
  for (const byPort of out.consumers.values())
    for (const list of byPort.values()) list.sort(compareRankedRoutes);
  return out;
}

/**
 * The routes deciding a call to one Service port from a caller in `callerNamespace` (absent: a caller
 * whose namespace is unknown, who gets the producer routes): the consumer routes of the caller's namespace
 * when it has some for that port, else the producer routes. Absent: plain Service routing.
 */
export function routesForCaller(
  mesh: MeshRoutes,
  servicePort: string,
  callerNamespace?: string,
): RankedRoute[] | undefined {
  const consumer = callerNamespace === undefined ? undefined : mesh.consumers.get(callerNamespace);
  return consumer?.get(servicePort) ?? mesh.byServicePort.get(servicePort);
}

/** The namespaces whose callers see routes of their own (consumer routes), sorted. */
export function consumerNamespaces(mesh: MeshRoutes): string[] {
  return [...mesh.consumers.keys()].sort();
}

function consumerTable(out: MeshRoutes, namespace: string): Map<string, RankedRoute[]> {
  let table = out.consumers.get(namespace);
  if (!table) out.consumers.set(namespace, (table = new Map()));
  return table;
}

/** Attaches one route to one Service parent; returns the conditions for that parent. */
function attach(
  route: MeshRoute,
  parent: MeshParentRef,
  policies: Pick<IrRoutePolicies, 'retry' | 'fault'>,
  model: ModelView,
  ctx: RuleContext,
  out: MeshRoutes,
): RouteCondition[] {
  const routeNamespace = route.metadata.namespace ?? 'default';
  const service = model.get('Service', parent.namespace, parent.name);
  const label = `Service ${parent.namespace}/${parent.name}`;
  if (!service)
    return [
      { type: 'Accepted', status: 'False', reason: 'NoMatchingParent', message: `${label}: not found` },
    ];
  const ports = (service.spec.ports ?? []).filter(
    (p) => (p.protocol ?? 'TCP') === 'TCP' && (parent.port === undefined || p.port === parent.port),
  );
  if (ports.length === 0)
    return [
      {
        type: 'Accepted',
        status: 'False',
        reason: 'NoMatchingParent',
        message: `${label} has no TCP port ${parent.port ?? ''}`.trim(),
      },
    ];
  let conditions: RouteCondition[] = [];
  for (const port of ports) {
    const translated = translateRouteRules(
      route,
      {
        service: { namespace: parent.namespace, name: parent.name },
        port: port.port,
        protocol: 'HTTP',
        hostnames: ['*'],
      },
      ctx,
    );
    const key = servicePortKey(parent.namespace, parent.name, port.port);
    const byPort =
      parent.namespace === routeNamespace ? out.byServicePort : consumerTable(out, routeNamespace);
    const list = byPort.get(key) ?? [];
    // The route's annotations (retries, faults) hold for each of its rules.
    list.push(
      ...translated.routes.map((r) => ({
        ...r,
        route: { ...r.route, policies: { ...r.route.policies, ...policies } },
      })),
    );
    byPort.set(key, list);
    for (const c of translated.clusters) out.clusters.set(c.name, c);
    // Every port gives the same conditions (the rules don't depend on the port): keep the first.
    if (conditions.length === 0) conditions = translated.conditions;
  }
  return conditions;
}
