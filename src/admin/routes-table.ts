// The routes table of the status page, computed from what is served: for every group's route
// configurations (RDS, or inline in a listener) one row per virtual host and route, with the target
// cluster and how many of its endpoints are healthy. Works on decoded resources, so it shows the truth of
// the wire, not of the translator's intentions; endpoints the wire leaves out because they are not ready
// are added to the total (as down) by the caller's notReady count.
import type { Snapshot } from '../xds/snapshot';
import { decodedResources } from './snapshot-json';

export interface RouteRow {
  group: string;
  routeConfig: string;
  /** The virtual host's first domain; the others are its aliases. */
  host: string;
  aliases: string[];
  path: string;
  /** Target cluster(s) or what the route does instead ("direct 503", "redirect"). */
  cluster: string;
  healthy: number;
  /** Every endpoint of the target: served ones, and not-ready ones (down). */
  total: number;
}

type Json = Record<string, unknown>;

const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const asObject = (v: unknown): Json | undefined => (v && typeof v === 'object' ? (v as Json) : undefined);

/** A route's path as people write it: "= /x" exact, "/x" prefix (element-wise or not), "~ re" regex. */
export function matchText(match: Json | undefined): string {
  if (!match) return '';
  if (typeof match.path === 'string') return `= ${match.path}`;
  if (typeof match.prefix === 'string') return match.prefix === '' ? '/' : match.prefix;
  if (typeof match.path_separated_prefix === 'string') return match.path_separated_prefix;
  const regex = asObject(match.safe_regex)?.regex;
  if (typeof regex === 'string') return `~ ${regex}`;
  return '';
}

function targets(route: Json): { clusters: string[]; label: string } {
  const action = asObject(route.route);
  if (action) {
    if (typeof action.cluster === 'string') return { clusters: [action.cluster], label: action.cluster };
    const weighted = asArray(asObject(action.weighted_clusters)?.clusters).map((c) => String(c.name ?? ''));
    if (weighted.length > 0) return { clusters: weighted, label: weighted.join(', ') };
    if (typeof action.cluster_header === 'string')
      return { clusters: [], label: `header ${action.cluster_header}` };
  }
  const direct = asObject(route.direct_response);
  if (direct) return { clusters: [], label: `direct ${String(direct.status ?? '')}` };
  if (route.redirect) return { clusters: [], label: 'redirect' };
  return { clusters: [], label: '(none)' };
}

/** Objects holding virtual_hosts anywhere in a decoded resource (inline route configs in listeners). */
function routeConfigsIn(value: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(value)) value.forEach((v) => routeConfigsIn(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Json;
    if (Array.isArray(o.virtual_hosts)) out.push(o);
    else Object.values(o).forEach((v) => routeConfigsIn(v, out));
  }
  return out;
}

function endpointCounts(snapshot: Snapshot): Map<string, { healthy: number; total: number }> {
  const byEdsName = new Map<string, { healthy: number; total: number }>();
  for (const { resource } of decodedResources(snapshot, 'endpoint')) {
    let healthy = 0;
    let total = 0;
    for (const locality of asArray(resource.endpoints))
      for (const ep of asArray(locality.lb_endpoints)) {
        total++;
        const status = ep.health_status;
        if (status === undefined || status === 'HEALTHY' || status === 'UNKNOWN') healthy++;
      }
    byEdsName.set(String(resource.cluster_name ?? ''), { healthy, total });
  }
  const byCluster = new Map<string, { healthy: number; total: number }>();
  for (const { name, resource } of decodedResources(snapshot, 'cluster')) {
    const edsName = asObject(resource.eds_cluster_config)?.service_name;
    const counts = byEdsName.get(typeof edsName === 'string' && edsName ? edsName : name);
    if (counts) byCluster.set(name, counts);
  }
  return byCluster;
}

export function routesTable(
  snapshots: readonly Snapshot[],
  notReady: (cluster: string) => number = () => 0,
): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const snapshot of snapshots) {
    const counts = endpointCounts(snapshot);
    const configs = [
      ...decodedResources(snapshot, 'route').map((r) => r.resource),
      ...decodedResources(snapshot, 'listener').flatMap((l) => routeConfigsIn(l.resource)),
    ];
    for (const config of configs) {
      for (const vhost of asArray(config.virtual_hosts)) {
        const domains = asArray(vhost.domains).map(String);
        for (const route of asArray(vhost.routes)) {
          const { clusters, label } = targets(route);
          let healthy = 0;
          let total = 0;
          for (const c of clusters) {
            healthy += counts.get(c)?.healthy ?? 0;
            total += (counts.get(c)?.total ?? 0) + notReady(c);
          }
          const [host = '*', ...aliases] = domains;
          rows.push({
            group: snapshot.group,
            routeConfig: String(config.name ?? ''),
            host,
            aliases,
            path: matchText(asObject(route.match)),
            cluster: label,
            healthy,
            total,
          });
        }
      }
    }
  }
  return rows;
}
