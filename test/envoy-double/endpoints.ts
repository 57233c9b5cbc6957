// Which host of a cluster gets the next request: round robin over the endpoints Envoy would use (health
// HEALTHY, UNKNOWN or DEGRADED; never UNHEALTHY, DRAINING or TIMEOUT), from EDS or from the cluster's own
// load_assignment (static and DNS clusters; DNS names resolve through the system resolver at request
// time). Locality weights and priorities are not modelled; an endpoint's own load_balancing_weight is (it
// takes that many turns of the round: weighted round robin, as Envoy balances hosts of unequal weight).
import { lookup } from 'node:dns/promises';
import type { Cluster, ClusterLoadAssignment } from '../../src/xds/types';

export interface Host {
  address: string;
  port: number;
  /** The endpoint's hostname (EDS) or the DNS name (STRICT_DNS): what auto_host_rewrite uses. */
  hostname?: string;
  /** The endpoint's load_balancing_weight (absent: 1). */
  weight?: number;
}

const USABLE = new Set(['HEALTHY', 'UNKNOWN', 'DEGRADED']);

export function usableHosts(assignment: ClusterLoadAssignment | undefined, dns: boolean): Host[] {
  return (assignment?.endpoints ?? []).flatMap((locality) =>
    (locality.lb_endpoints ?? [])
      .filter((lb) => USABLE.has(String(lb.health_status ?? 'UNKNOWN')))
      .map((lb) => {
        const socket = lb.endpoint?.address?.socket_address;
        const address = String(socket?.address ?? '');
        const hostname = lb.endpoint?.hostname || (dns ? address : undefined);
        const weight = lb.load_balancing_weight?.value;
        return {
          address,
          port: Number(socket?.port_value ?? 0),
          ...(hostname ? { hostname } : {}),
          ...(weight !== undefined && weight !== null ? { weight: Number(weight) } : {}),
        };
      }),
  );
}

/** Round-robin positions, one per cluster, owned by one double. */
export class RoundRobin {
  private readonly next = new Map<string, number>();

  pick(cluster: Cluster, hosts: readonly Host[]): Host | undefined {
    // Each host takes as many turns of a round as its weight (a round of a few thousand at most here).
    const round = hosts.flatMap((h) => Array<Host>(Math.max(1, Math.min(h.weight ?? 1, 10_000))).fill(h));
    if (round.length === 0) return undefined;
    const name = String(cluster.name);
    const at = (this.next.get(name) ?? 0) % round.length;
    this.next.set(name, at + 1);
    return round[at];
  }
}

/** The usable hosts of a cluster now: EDS endpoints, or its load_assignment (DNS names looked up). */
export async function clusterHosts(
  cluster: Cluster,
  eds: ClusterLoadAssignment | undefined,
): Promise<Host[]> {
  if (cluster.type === 'EDS') return usableHosts(eds, false);
  const dns = cluster.type === 'STRICT_DNS';
  const hosts = usableHosts(cluster.load_assignment ?? undefined, dns);
  if (!dns) return hosts;
  return Promise.all(
    hosts.map(async (h) => ({ ...h, address: (await lookup(h.address, { family: 4 })).address })),
  );
}
