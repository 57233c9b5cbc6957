// One route-rules golden case: Kubernetes objects (a Gateway, HTTPRoutes/GRPCRoutes, Services, ...) ->
// what the route-rule half of the Gateway front-end makes of them (test/helpers/gateway-routes.ts): each
// route's conditions, the ranked IR routes of one virtual host, clusters, endpoints and BackendTLSPolicy
// statuses, then the Envoy route configuration and clusters the back-end builds from that IR (every one
// checked by checkEnvoyResource).
import { parseAllDocuments, stringify } from 'yaml';
import { TranslationMemos } from '../../../src/translate/translation-memos';
import { groupResources } from '../../../src/envoy/group';
import { modelFrom } from '../../../src/model/store';
import { WATCHED_KINDS, type WatchedObject } from '../../../src/model/k8s';
import { backendTlsPolicyStatuses } from '../../../src/frontends/gateway/routes';
import { decodeMessage, encodeMessage } from '../../../src/xds/encode';
import { MESSAGE_NAME, type ResourceSet, type RouteConfiguration } from '../../../src/xds/types';
import { UNRESOLVED_CLUSTER_PREFIX } from '../../../src/ir/http';
import { routesIr } from '../../helpers/gateway-routes';
import { checkResources } from '../check-resources';

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

/** Clusters a route sends to (or mirrors to) that the group lacks, except the intended unresolved shares. */
function missingClusters(resources: ResourceSet): string[] {
  const problems: string[] = [];
  for (const config of resources.route.values() as Iterable<RouteConfiguration>)
    for (const vhost of config.virtual_hosts ?? [])
      for (const route of vhost.routes ?? []) {
        const action = route.route;
        const names = [
          ...(action?.cluster ? [action.cluster] : []),
          ...(action?.weighted_clusters?.clusters ?? []).map((c) => String(c.name)),
          ...(action?.request_mirror_policies ?? []).map((m) => String(m.cluster)),
        ];
        for (const name of names)
          if (!resources.cluster.has(name) && !name.startsWith(UNRESOLVED_CLUSTER_PREFIX))
            problems.push(`route ${String(route.name)} sends to cluster ${name}, which the group lacks`);
      }
  return problems;
}

export interface RoutesCaseOutput {
  text: string;
  problems: string[];
}

export function runRoutesCase(objects: WatchedObject[]): RoutesCaseOutput {
  const model = modelFrom(objects);
  const ir = routesIr(model, 10080);
  const resources = groupResources(ir.group, new TranslationMemos().groupMemos());
  const shown = (kind: 'route' | 'cluster', value: unknown) =>
    decodeMessage(MESSAGE_NAME[kind], encodeMessage(MESSAGE_NAME[kind], value));
  const out = {
    routeConditions: ir.routeConditions,
    backendTlsPolicies: backendTlsPolicyStatuses(model, [{ gateway: ir.gateway, backendPorts: ir.backendPorts }]),
    warnings: ir.warnings,
    ir: {
      routes: ir.ranked.map((r) => ({
        rule: `${r.owner.kind} ${r.owner.namespace}/${r.owner.name} rule ${r.ruleIndex} match ${r.matchIndex}`,
        ...r.route,
      })),
      clusters: ir.group.clusters,
      endpoints: ir.group.endpoints,
    },
    envoy: {
      routes: [...resources.route.values()].map((r) => shown('route', r)),
      clusters: [...resources.cluster.keys()].sort().map((name) => shown('cluster', resources.cluster.get(name))),
    },
  };
  return {
    text: stringify(out, { lineWidth: 0, sortMapEntries: false }),
    problems: [...checkResources(resources), ...missingClusters(resources)],
  };
}
