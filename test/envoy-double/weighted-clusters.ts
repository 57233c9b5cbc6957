// Envoy's weighted_clusters choice: a draw in [0, sum of weights) walked over the clusters in order, with
// the double's injectable random so a test can say exactly which cluster a request gets. Weight-0 clusters
// are never chosen.
import type { WeightedCluster } from '../../src/generated/envoy/config/route/v3/WeightedCluster';
import type { _envoy_config_route_v3_WeightedCluster_ClusterWeight as ClusterWeight } from '../../src/generated/envoy/config/route/v3/WeightedCluster';

export function pickWeightedCluster(
  weighted: WeightedCluster,
  random: () => number,
): ClusterWeight | undefined {
  const clusters = weighted.clusters ?? [];
  const weights = clusters.map((c) => Number(c.weight?.value ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  let draw = Math.floor(random() * total);
  for (const [i, cluster] of clusters.entries()) {
    draw -= weights[i] ?? 0;
    if (draw < 0) return cluster;
  }
  return clusters[clusters.length - 1];
}
