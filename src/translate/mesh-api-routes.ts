// A Service port's mesh (GAMMA) routes -> the routes of its "api" listener for proxyless gRPC clients.
// Backends become the Service-port clusters every proxyless group already has (NAMESPACE/NAME/PORT: a
// GRPCRoute's HTTP/2 variant is the same cluster to a gRPC client); a backend that could not be resolved
// keeps its kxds-unresolved/ share, which the client fails (UNAVAILABLE). What gRPC clients do not apply
// (header modifiers, redirects, fixed answers, mirrors, rewrites) is held back and recorded, never sent;
// retries and faults go only to dialects that take them, retries with only the gRPC status conditions.
import type { HeldBackPolicy, IrCluster, IrHashOn } from '../ir/clusters';
import type { IrApiRoute } from '../ir/listeners';
import type { IrRetry, IrRoute } from '../ir/http';
import type { Dialect } from './dialects/dialect';
import { GRPC_RETRY_ON } from './retry-annotations';
import type { RankedRoute } from '../frontends/gateway/contract';
import { clusterName } from './names';

export interface MeshApiRoutes {
  routes: IrApiRoute[];
  heldBack: HeldBackPolicy[];
}

/** Route policies a gRPC client does not apply, by the name they are recorded under. */
function unsupportedPolicies(route: IrRoute): string[] {
  const p = route.policies;
  return [
    ...(p.requestHeaders || p.responseHeaders ? ['header modifiers'] : []),
    ...(p.mirrors ? ['request mirror'] : []),
    ...(p.rewrite || p.hostRewrite ? ['URL rewrite'] : []),
    ...(route.action.kind === 'forward' &&
    route.action.clusters.some((c) => c.requestHeaders || c.responseHeaders)
      ? ['backendRef header modifiers']
      : []),
  ];
}

/** A retry policy as a gRPC client (A44) takes it, or undefined when nothing of it is left. */
function grpcRetry(retry: IrRetry, hold: (policy: string, reason: string) => void): IrRetry | undefined {
  const on = retry.on.filter((c) => GRPC_RETRY_ON.includes(c));
  const other = retry.on.filter((c) => !GRPC_RETRY_ON.includes(c));
  if (other.length > 0)
    hold(
      `retry-on ${other.join(',')}`,
      'gRPC clients retry on gRPC status codes only: left out of the condition',
    );
  if (retry.perTryTimeoutMs !== undefined)
    hold('per-try-timeout', 'gRPC clients have no per-try timeout (A44): retries are sent without it');
  if (on.length === 0) {
    hold('retry', 'no gRPC status code to retry on: the route is sent without retries');
    return undefined;
  }
  const { perTryTimeoutMs: _perTry, ...rest } = retry;
  return { ...rest, on };
}

export function meshApiRoutes(
  ranked: readonly RankedRoute[],
  parent: IrCluster,
  routeClusters: ReadonlyMap<string, IrCluster>,
  hashOn: IrHashOn[],
  dialect: Dialect,
): MeshApiRoutes {
  const out: MeshApiRoutes = { routes: [], heldBack: [] };
  const hold = (route: IrRoute, policy: string, reason: string) =>
    out.heldBack.push({
      cluster: parent.name,
      service: { namespace: parent.ref.namespace, name: parent.ref.service },
      policy: `${route.source}: ${policy}`,
      reason,
    });
  for (const { route } of ranked) {
    const action = route.action;
    if (action.kind !== 'forward') {
      hold(route, action.kind, 'gRPC clients only forward: the rule is left out for them');
      continue;
    }
    if ((route.match.queryParams ?? []).length > 0) {
      // Sent without its condition it would catch calls it should not: the whole rule stays out.
      hold(route, 'query parameter match', 'gRPC calls have no query: the rule is left out for them');
      continue;
    }
    for (const policy of unsupportedPolicies(route))
      hold(route, policy, 'gRPC clients do not apply it: the route is sent without it');
    const backends = action.clusters.map((c) => {
      const cluster = routeClusters.get(c.cluster);
      return { cluster: cluster ? clusterName(cluster.ref) : c.cluster, weight: c.weight };
    });
    const timeout = route.policies.timeoutMs;
    const holdHere = (policy: string, reason: string) => hold(route, policy, `${reason} (${dialect.label})`);
    const { retry: wantedRetry, fault: wantedFault } = route.policies;
    let retry: IrRetry | undefined;
    if (wantedRetry && dialect.retries === 'none')
      holdHere('retry', 'the client is not known to support retries');
    else if (wantedRetry) retry = grpcRetry(wantedRetry, holdHere);
    if (wantedFault && !dialect.faultInjection)
      holdHere('fault injection', 'the client is not known to support it: no faults are injected');
    const fault = dialect.faultInjection ? wantedFault : undefined;
    out.routes.push({
      prefix: '/',
      match: { path: route.match.path, headers: route.match.headers },
      backends,
      hashOn,
      ...(timeout !== undefined && timeout > 0 ? { maxStreamDurationMs: timeout } : {}),
      ...(retry ? { retry } : {}),
      ...(fault ? { fault } : {}),
      source: route.source,
    });
  }
  return out;
}
