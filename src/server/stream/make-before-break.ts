// "Make before break" for one stream (xDS protocol spec, "Eventual consistency considerations"): a route must
// never name a cluster the node lacks or has not warmed, so
// - a cluster's removal waits while a route configuration the node holds still names it, and a
//   ClusterLoadAssignment's removal (delta) while the node still holds its cluster; full-state CDS keeps
//   sending such a cluster (as last sent) until the routes that used it were replaced;
// - a route update that names a cluster the node has just been sent waits until that cluster's endpoints went
//   out too (Envoy warms an EDS cluster until its first ClusterLoadAssignment, and answers 503 for a route to
//   a cluster still warming), unless the node rejected the clusters, or for at most ROUTE_HOLD_MS.
// These helpers read a stream's ledgers and snapshots; xds-stream.ts applies them.
import type { EncodedResource, TypeSnapshot } from '../../xds/snapshot';
import type { TypeLedger } from './ledger';

/** How long a route update may wait for its clusters' endpoints before it goes out anyway. */
export const ROUTE_HOLD_MS = 5000;

/** The EDS name a cluster asks for: its eds_cluster_config.service_name, or its own name; none if not EDS. */
export function edsName(cluster: EncodedResource): string | undefined {
  const value = cluster.value as { type?: string; eds_cluster_config?: { service_name?: string } };
  if (!value.eds_cluster_config && value.type !== 'EDS') return undefined;
  return value.eds_cluster_config?.service_name || cluster.name;
}

interface RouteActionClusters {
  cluster?: string;
  weighted_clusters?: { clusters?: { name?: string }[] };
  request_mirror_policies?: { cluster?: string }[];
}

/**
 * Every cluster a RouteConfiguration sends to: route actions, weighted clusters, request mirrors. Read by
 * field path (typed values hold packed Anys and protobuf objects that a generic walk must not enter).
 */
export function referencedClusters(routeConfiguration: object, into = new Set<string>()): Set<string> {
  const hosts = (routeConfiguration as { virtual_hosts?: { routes?: { route?: RouteActionClusters }[] }[] })
    .virtual_hosts;
  for (const host of hosts ?? [])
    for (const { route } of host.routes ?? []) {
      if (!route) continue;
      if (route.cluster) into.add(route.cluster);
      for (const c of route.weighted_clusters?.clusters ?? []) if (c.name) into.add(c.name);
      for (const m of route.request_mirror_policies ?? []) if (m.cluster) into.add(m.cluster);
    }
  return into;
}

/** The resource a ledger holds under `name`, if the stream knows its content (the version it holds). */
function heldResource(ledger: TypeLedger, name: string, current?: TypeSnapshot): EncodedResource | undefined {
  const version = ledger.held.get(name);
  for (const source of [ledger.evaluated, current]) {
    const resource = source?.resources.get(name);
    if (resource && resource.version === version) return resource;
  }
  return ledger.lingering.get(name);
}

/**
 * The clusters the routes a node holds name, or "all" when it holds a route whose content the stream does not
 * know (declared by a delta client on reconnect): then no cluster may go yet.
 */
export function clustersInUse(routes: TypeLedger | undefined, current?: TypeSnapshot): Set<string> | 'all' {
  const names = new Set<string>();
  if (!routes) return names;
  for (const name of routes.held.keys()) {
    const resource = heldResource(routes, name, current);
    if (!resource) return 'all';
    referencedClusters(resource.value, names);
  }
  return names;
}

/** The ClusterLoadAssignments the clusters a node holds ask for. */
export function endpointsInUse(clusters: TypeLedger | undefined, current?: TypeSnapshot): Set<string> {
  const names = new Set<string>();
  if (!clusters) return names;
  for (const name of clusters.held.keys()) {
    const resource = heldResource(clusters, name, current);
    const eds = resource ? edsName(resource) : name;
    if (eds) names.add(eds);
  }
  return names;
}

/**
 * The EDS names a route update must wait for: clusters it names that the node holds, whose
 * ClusterLoadAssignment exists but has not been sent to it. Nothing when the node rejected its newest clusters.
 */
export function endpointsAwaited(
  routes: readonly EncodedResource[],
  clusters: TypeLedger | undefined,
  clusterSnapshot: TypeSnapshot | undefined,
  endpoints: TypeLedger | undefined,
  endpointSnapshot: TypeSnapshot | undefined,
): string[] {
  if (!clusters || !endpointSnapshot || routes.length === 0) return [];
  if (clusters.nack && clusters.nack.nonce === clusters.lastNonce) return [];
  const named = new Set<string>();
  for (const route of routes) referencedClusters(route.value, named);
  const awaited: string[] = [];
  for (const name of named) {
    const resource = clusters.held.has(name) ? heldResource(clusters, name, clusterSnapshot) : undefined;
    const eds = resource && edsName(resource);
    if (eds && endpointSnapshot.resources.has(eds) && !endpoints?.held.has(eds)) awaited.push(eds);
  }
  return awaited;
}
