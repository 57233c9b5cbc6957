// The configuration the double has accepted, by kind and name, and what it implies: the RDS, EDS and SDS
// names to subscribe to, and what is still missing before the config is complete. LDS and CDS responses
// replace their kind (full state); RDS, EDS and SDS responses update the names they carry, and names no
// longer referenced are dropped, as Envoy drops a route configuration no listener uses.
import type {
  Cluster,
  ClusterLoadAssignment,
  Listener,
  ResourceKind,
  RouteConfiguration,
  Secret,
} from '../../src/xds/types';
import { FULL_STATE_KINDS } from '../../src/xds/types';
import { listenerRouteNames, listenerSecretNames } from './listener-config';

interface Stored {
  listener: Map<string, Listener>;
  cluster: Map<string, Cluster>;
  route: Map<string, RouteConfiguration>;
  endpoint: Map<string, ClusterLoadAssignment>;
  secret: Map<string, Secret>;
}

/** The EDS name a cluster's endpoints are requested under (service_name, else the cluster's name). */
export function edsName(cluster: Cluster): string {
  return String(cluster.eds_cluster_config?.service_name || cluster.name);
}

function resourceName(resource: { name?: string; cluster_name?: string }): string {
  return String(resource.name ?? resource.cluster_name ?? '');
}

export class ConfigStore {
  private readonly stored: Stored = {
    listener: new Map(),
    cluster: new Map(),
    route: new Map(),
    endpoint: new Map(),
    secret: new Map(),
  };

  apply(kind: ResourceKind, resources: readonly Record<string, unknown>[]): void {
    const map = this.stored[kind] as Map<string, unknown>;
    if (FULL_STATE_KINDS.has(kind)) map.clear();
    for (const resource of resources) map.set(resourceName(resource), resource);
  }

  /** Keeps only the names still referenced (after a subscription shrank). */
  retain(kind: 'route' | 'endpoint' | 'secret', names: readonly string[]): void {
    for (const name of [...this.stored[kind].keys()])
      if (!names.includes(name)) this.stored[kind].delete(name);
  }

  get listeners(): ReadonlyMap<string, Listener> {
    return this.stored.listener;
  }
  /**
   * The cluster the router may use: Envoy keeps an EDS cluster "warming", unknown to the router, until its
   * endpoints first arrive, so a route to it answers as for a missing cluster until then.
   */
  activeCluster(name: string): Cluster | undefined {
    const cluster = this.stored.cluster.get(name);
    if (!cluster) return undefined;
    return cluster.type !== 'EDS' || this.stored.endpoint.has(edsName(cluster)) ? cluster : undefined;
  }
  route(name: string): RouteConfiguration | undefined {
    return this.stored.route.get(name);
  }
  endpoints(cluster: Cluster): ClusterLoadAssignment | undefined {
    return this.stored.endpoint.get(edsName(cluster));
  }
  secret(name: string): Secret | undefined {
    return this.stored.secret.get(name);
  }

  /** The names each on-demand kind must be subscribed to, from the listeners and clusters held now. */
  wanted(kind: 'route' | 'endpoint' | 'secret'): string[] {
    const listeners = [...this.stored.listener.values()];
    let names: string[];
    if (kind === 'route') names = listeners.flatMap(listenerRouteNames);
    else if (kind === 'secret') names = listeners.flatMap(listenerSecretNames);
    else names = [...this.stored.cluster.values()].filter((c) => c.type === 'EDS').map(edsName);
    return [...new Set(names)].sort();
  }

  /** What a complete config still lacks ("route edge-http", "endpoint shop/web/80"), empty when complete. */
  missing(): string[] {
    const kinds = ['route', 'endpoint', 'secret'] as const;
    return kinds.flatMap((kind) =>
      this.wanted(kind)
        .filter((n) => !this.stored[kind].has(n))
        .map((n) => `${kind} ${n}`),
    );
  }
}
