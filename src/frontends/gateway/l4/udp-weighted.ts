// Weighted UDPRoute backends. Envoy's udp_proxy sends every session of a listener to one cluster (its route
// action names one cluster; there are no weighted clusters), so several weighted backends become one cluster
// holding all their endpoints, each endpoint weighted so that every backend's endpoints together carry its
// share: endpoint weight = backend weight x L / (its endpoint count), L the least common multiple of the
// counts. The cluster is named by its parts and weights, so it is stable by content. Limits, said in the
// route's status: a backend discovered by DNS (ExternalName) can't join (its hosts are not known here), and
// an unresolved backend's share can't be refused (one cluster has no "refuse" endpoint): sessions go to the
// resolved backends in proportion.
import type { IrCluster, IrEndpoint, IrEndpoints, IrLocality } from '../../../ir/clusters';
import type { IrWeightedCluster } from '../../../ir/http';
import type { L4RouteObject } from '../attachment';
import type { RouteCondition, TranslatedRules } from '../contract';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;

export const WEIGHTED_UDP_PREFIX = 'kxds-weighted-udp/';

export function mergeUdpBackends(route: L4RouteObject, rules: TranslatedRules): TranslatedRules {
  const backends = rules.l4Backends ?? [];
  const clusters = new Map(rules.clusters.map((c) => [c.name, c]));
  const endpoints = new Map(rules.endpoints.map((e) => [e.clusterName, e]));
  const resolved = backends.filter((b) => clusters.has(b.cluster));
  if (backends.length <= 1) return rules;
  const conditions: RouteCondition[] = [...rules.conditions];
  const mergeable = resolved.filter((b) => (endpoints.get(b.cluster)?.localities ?? []).length > 0);
  const dns = resolved.filter((b) => clusters.get(b.cluster)?.discovery?.kind === 'dns');
  if (dns.length > 0)
    conditions.push({
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'UnsupportedValue',
      message: `${route.kind} weighted backends ${dns.map((b) => b.cluster).join(', ')} are found by DNS and can't share a UDP listener with other backends; they take no sessions`,
    });
  const withHosts = mergeable.filter((b) => countEndpoints(endpoints.get(b.cluster)) > 0);
  if (withHosts.length <= 1) {
    // One backend (or none) has hosts: it takes every session; with none, the first share's name stays.
    const only = withHosts[0] ?? resolved[0] ?? backends[0];
    const name = only?.cluster;
    return {
      ...rules,
      conditions,
      clusters: rules.clusters.filter((c) => c.name === name),
      endpoints: rules.endpoints.filter((e) => e.clusterName === name),
      l4Backends: only ? [{ cluster: only.cluster, weight: 1 }] : [],
    };
  }
  // Only the merged cluster is served: the backends' own clusters would be unused.
  const merged = mergedCluster(withHosts, clusters, endpoints);
  return {
    ...rules,
    conditions,
    clusters: [merged.cluster],
    endpoints: [merged.endpoints],
    l4Backends: [{ cluster: merged.cluster.name, weight: 1 }],
  };
}

function countEndpoints(e: IrEndpoints | undefined): number {
  return (e?.localities ?? []).reduce((n, l) => n + l.endpoints.length, 0);
}

function mergedCluster(
  shares: readonly IrWeightedCluster[],
  clusters: ReadonlyMap<string, IrCluster>,
  endpoints: ReadonlyMap<string, IrEndpoints>,
): { cluster: IrCluster; endpoints: IrEndpoints } {
  const name = `${WEIGHTED_UDP_PREFIX}${shares.map((s) => `${s.cluster}=${s.weight}`).join(',')}`;
  const counts = shares.map((s) => countEndpoints(endpoints.get(s.cluster)));
  const common = counts.reduce(lcm, 1);
  const byZone = new Map<string, IrEndpoint[]>();
  shares.forEach((share, i) => {
    const weight = (share.weight * common) / (counts[i] ?? 1);
    for (const locality of endpoints.get(share.cluster)?.localities ?? []) {
      const list = byZone.get(locality.zone) ?? [];
      list.push(...locality.endpoints.map((ep) => ({ ...ep, weight })));
      byZone.set(locality.zone, list);
    }
  });
  const localities: IrLocality[] = [...byZone.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([zone, list]) => ({ zone, endpoints: list }));
  // The first backend's cluster settings (connect timeout, circuit breakers) stand for the whole.
  const first = clusters.get(shares[0]?.cluster ?? '') as IrCluster;
  return {
    cluster: { ...first, name, lbPolicy: 'round-robin', discovery: { kind: 'eds' } },
    endpoints: { clusterName: name, localities },
  };
}
