// A TLSRoute's, TCPRoute's or UDPRoute's rule -> where its connections go: weighted Service-port clusters
// speaking opaque bytes (named NAMESPACE/SERVICE/PORT/tcp or /udp, apart from the HTTP cluster of the same
// port). Weights default to 1 and a weight-0 backend takes nothing. A backend that can't be resolved keeps
// its share under a cluster name no node has ("kxds-unresolved/..."), so exactly that share of connections is
// refused, as the spec requires; when nothing is left, every connection is. The v1 CRDs allow one rule; a
// later one (older versions allowed several, with nothing to choose between them) is dropped.
import type { IrCluster, IrEndpoints } from '../../../ir/clusters';
import { UNRESOLVED_CLUSTER_PREFIX, type IrWeightedCluster } from '../../../ir/http';
import { l4ServicePortCluster } from '../../../translate/l4-clusters';
import type { L4RouteObject } from '../attachment';
import type { RuleContext, TranslatedRules } from '../contract';
import { lookUpServicePort } from '../routes/backend-ref';
import { RouteProblems, type RouteReason } from '../routes/conditions';
import type { BackendObjectReference } from '../routes/spec';
import { mergeUdpBackends } from './udp-weighted';

type L4BackendRef = BackendObjectReference & { weight?: number };

interface L4Rule {
  backendRefs?: L4BackendRef[];
}

/** A backend that resolved: its opaque cluster and, unless found by DNS, its endpoints. */
export interface ResolvedL4Backend {
  cluster: IrCluster;
  endpoints?: IrEndpoints;
}

function unresolvedName(route: L4RouteObject, index: number | 'none'): string {
  return `${UNRESOLVED_CLUSTER_PREFIX}${route.kind}/${route.metadata.namespace ?? 'default'}/${route.metadata.name}/0/${index}`;
}

export function resolveL4Backend(
  ref: L4BackendRef,
  route: L4RouteObject,
  ctx: RuleContext,
): ResolvedL4Backend | { reason: RouteReason; message: string } {
  const transport = route.kind === 'UDPRoute' ? 'UDP' : 'TCP';
  const found = lookUpServicePort(ref, route, ctx, transport);
  if (!found.ok) return { reason: found.reason, message: found.message };
  const built = l4ServicePortCluster(ctx.model, found.service, found.port, ctx.warnings, {
    allowExternalName: ctx.options.allowExternalName,
    defaults: { connectTimeoutMs: ctx.options.connectTimeoutMs },
  });
  if (!built.ok) {
    const reason = built.cause === 'RefNotPermitted' ? 'RefNotPermitted' : 'BackendNotFound';
    return { reason, message: `backendRef ${found.label}: ${built.reason}` };
  }
  return built.endpoints
    ? { cluster: built.cluster, endpoints: built.endpoints }
    : { cluster: built.cluster };
}

export function translateL4Rules(
  route: L4RouteObject,
  _listener: unknown,
  ctx: RuleContext,
): TranslatedRules {
  const problems = new RouteProblems(route, ctx.warnings);
  const rules = ((route.spec as { rules?: L4Rule[] }).rules ?? []).slice();
  rules
    .slice(1)
    .forEach((_rule, i) =>
      problems.dropRule(i + 1, 'UnsupportedValue', `a ${route.kind} serves one rule; only rule 0 is used`),
    );
  const clusters = new Map<string, IrCluster>();
  const endpoints = new Map<string, IrEndpoints>();
  const shares: IrWeightedCluster[] = [];
  (rules[0]?.backendRefs ?? []).forEach((ref, j) => {
    const resolved = resolveL4Backend(ref, route, ctx);
    if (!('cluster' in resolved)) problems.unresolved(resolved.reason, resolved.message);
    const weight = ref.weight ?? 1;
    if (weight === 0) return;
    if (!('cluster' in resolved)) return void shares.push({ cluster: unresolvedName(route, j), weight });
    clusters.set(resolved.cluster.name, resolved.cluster);
    if (resolved.endpoints) endpoints.set(resolved.endpoints.clusterName, resolved.endpoints);
    shares.push({ cluster: resolved.cluster.name, weight });
  });
  // Nothing to send to (no backendRefs, or every weight 0): every connection is refused.
  const backends = shares.length > 0 ? shares : [{ cluster: unresolvedName(route, 'none'), weight: 1 }];
  const out: TranslatedRules = {
    routes: [],
    clusters: [...clusters.values()],
    endpoints: [...endpoints.values()],
    conditions: problems.conditions(Math.max(rules.length, 1)),
    l4Backends: backends,
  };
  return route.kind === 'UDPRoute' ? mergeUdpBackends(route, out) : out;
}
