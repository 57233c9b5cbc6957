// What a proxy subscribes to next, read from decoded resources the way Envoy does: a Listener's
// HttpConnectionManager names its RouteConfiguration (RDS), an EDS Cluster names its ClusterLoadAssignment,
// and TLS contexts anywhere name SDS secrets.

type Json = Record<string, unknown>;

function walk(value: unknown, visit: (o: Json) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === 'object') {
    visit(value as Json);
    Object.values(value as Json).forEach((v) => walk(v, visit));
  }
}

/** RDS names: every `rds.route_config_name` inside the listeners (filter chains, api_listener). */
export function routeNamesOf(listeners: readonly unknown[]): string[] {
  const names = new Set<string>();
  walk(listeners, (o) => {
    const rds = o.rds as Json | undefined;
    if (rds && typeof rds.route_config_name === 'string') names.add(rds.route_config_name);
  });
  return [...names].sort();
}

/** EDS names: for every EDS cluster its eds_cluster_config.service_name, else its own name. */
export function endpointNamesOf(clusters: readonly unknown[]): string[] {
  const names = new Set<string>();
  for (const c of clusters as Json[]) {
    if (c.type !== 'EDS') continue;
    const serviceName = (c.eds_cluster_config as Json | undefined)?.service_name;
    names.add(typeof serviceName === 'string' && serviceName ? serviceName : String(c.name ?? ''));
  }
  return [...names].filter(Boolean).sort();
}

/** SDS names: the `name` of every SdsSecretConfig (fields ending in sds_secret_config(s)). */
export function secretNamesOf(resources: readonly unknown[]): string[] {
  const names = new Set<string>();
  walk(resources, (o) => {
    for (const [key, value] of Object.entries(o)) {
      if (!/sds_secret_configs?$/.test(key)) continue;
      for (const config of Array.isArray(value) ? value : [value])
        if (config && typeof (config as Json).name === 'string') names.add((config as Json).name as string);
    }
  });
  return [...names].sort();
}
