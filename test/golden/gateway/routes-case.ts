// One route-rules golden case: Kubernetes objects (a Gateway, HTTPRoutes/GRPCRoutes, Services, ...) ->
// what the route-rule half of the Gateway front-end makes of them: each route's conditions, the ranked IR
// routes of one virtual host, clusters, endpoints and BackendTLSPolicy statuses, then the Envoy route
// configuration and clusters the back-end builds from that IR (every one checked by checkEnvoyResource).
// Each route is attached to the listener its first parentRef names (sectionName), else the Gateway's first.
import { parseAllDocuments, stringify } from 'yaml';
import { TranslationMemos } from '../../../src/translate/translation-memos';
import { groupResources } from '../../../src/envoy/group';
import { modelFrom } from '../../../src/model/store';
import { WATCHED_KINDS, type WatchedObject } from '../../../src/model/k8s';
import type { GatewayApiObject } from '../../../src/model/gateway-api';
import type { IrCluster, IrEndpoints, IrServicePortRef } from '../../../src/ir/clusters';
import type { GroupIr } from '../../../src/ir/group';
import type { Statuses } from '../../../src/translate/findings';
import type { GatewayOptions, ListenerContext, RankedRoute } from '../../../src/frontends/gateway/contract';
import { backendTlsPolicyStatuses, compareRankedRoutes, translateRouteRules } from '../../../src/frontends/gateway/routes';
import { decodeMessage, encodeMessage } from '../../../src/xds/encode';
import { MESSAGE_NAME } from '../../../src/xds/types';
import { checkResources } from '../check-resources';

export const GOLDEN_GATEWAY_OPTIONS: GatewayOptions = {
  address: '127.0.0.1',
  privilegedPortOffset: 10000,
  allowExternalName: false,
  connectTimeoutMs: 5000,
};

export function parseObjects(text: string): WatchedObject[] {
  const objects: WatchedObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
    const value = doc.toJS() as WatchedObject | null;
    if (!value) continue;
    if (!WATCHED_KINDS.includes(value.kind)) throw new Error(`unexpected document kind ${String(value.kind)}`);
    objects.push(value);
  }
  return objects;
}

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
  if (!listener) throw new Error('the case has a Gateway without listeners');
  return {
    gateway: { namespace: gateway.metadata.namespace ?? 'default', name: gateway.metadata.name },
    port: listener.port,
    protocol: listener.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
    hostnames: (route.spec.hostnames as string[] | undefined) ?? [listener.hostname ?? '*'],
  };
}

export interface RoutesCaseOutput {
  text: string;
  problems: string[];
}

export function runRoutesCase(objects: WatchedObject[]): RoutesCaseOutput {
  const model = modelFrom(objects);
  const [gateway] = model.list('Gateway');
  if (!gateway) throw new Error('the case has no Gateway');
  const warnings: Statuses = [];
  const ctx = { model, options: GOLDEN_GATEWAY_OPTIONS, warnings };
  const ranked: RankedRoute[] = [];
  const clusters = new Map<string, IrCluster>();
  const endpoints = new Map<string, IrEndpoints>();
  const backendPorts: IrServicePortRef[] = [];
  const routeConditions: unknown[] = [];
  const routes: Route[] = [...model.list('HTTPRoute'), ...model.list('GRPCRoute')];
  for (const route of routes) {
    const translated = translateRouteRules(route, listenerFor(route, gateway), ctx);
    ranked.push(...translated.routes);
    for (const c of translated.clusters) clusters.set(c.name, c);
    for (const e of translated.endpoints) endpoints.set(e.clusterName, e);
    backendPorts.push(...(translated.backendPorts ?? []));
    routeConditions.push({ route: `${route.kind} ${route.metadata.namespace}/${route.metadata.name}`, conditions: translated.conditions });
  }
  ranked.sort(compareRankedRoutes);
  const group: GroupIr = {
    listeners: [
      {
        kind: 'http',
        name: 'gateway-http',
        address: GOLDEN_GATEWAY_OPTIONS.address,
        port: 10080,
        routes: { name: 'gateway-http', virtualHosts: [{ host: '*', routes: ranked.map((r) => r.route) }] },
      },
    ],
    clusters: [...clusters.values()],
    endpoints: [...endpoints.values()],
    secrets: [],
  };
  const resources = groupResources(group, new TranslationMemos().groupMemos());
  const gatewayRef = { namespace: gateway.metadata.namespace ?? 'default', name: gateway.metadata.name };
  const shown = (kind: 'route' | 'cluster', value: unknown) => decodeMessage(MESSAGE_NAME[kind], encodeMessage(MESSAGE_NAME[kind], value));
  const out = {
    routeConditions,
    backendTlsPolicies: backendTlsPolicyStatuses(model, [{ gateway: gatewayRef, backendPorts }]),
    warnings,
    ir: {
      routes: ranked.map((r) => ({ rule: `${r.owner.kind} ${r.owner.namespace}/${r.owner.name} rule ${r.ruleIndex} match ${r.matchIndex}`, ...r.route })),
      clusters: group.clusters,
      endpoints: group.endpoints,
    },
    envoy: {
      routes: [...resources.route.values()].map((r) => shown('route', r)),
      clusters: [...resources.cluster.keys()].sort().map((name) => shown('cluster', resources.cluster.get(name))),
    },
  };
  return { text: stringify(out, { lineWidth: 0, sortMapEntries: false }), problems: checkResources(resources) };
}
