// A rule's backendRefs -> its forward action. Weights default to 1; a weight-0 backend gets no traffic. A
// backend that can't be resolved still takes its share, answered 500 (UNAVAILABLE, i.e. 503, for gRPC)
// through a cluster name no node has ("kxds-unresolved/..."; see IrRouteAction.missingClusterStatus);
// when nothing resolvable is left (no backends, all weights 0, every backend invalid) the whole rule
// answers that status directly. Per-backend filters: the header modifiers, applied to that share only.
import type { GatewayApiObject } from '../../../model/gateway-api';
import type { IrCluster, IrEndpoints, IrHashOn, IrServicePortRef } from '../../../ir/clusters';
import { UNRESOLVED_CLUSTER_PREFIX, type IrRouteAction, type IrWeightedCluster } from '../../../ir/http';
import type { RuleContext } from '../contract';
import { resolveBackend, type ResolvedBackend } from './backends';
import type { RouteProblems } from './conditions';
import { headerModifier } from './headers';
import type { GRPCBackendRef, HTTPBackendRef } from './spec';

/** What resolving one route's backends added: clusters and endpoints to serve, and what each port asks. */
export interface BackendSink {
  /** "namespace/service/port" -> the Service port, for every Service backend named (resolved or not). */
  backendPorts: Map<string, IrServicePortRef>;
  clusters: Map<string, IrCluster>;
  endpoints: Map<string, IrEndpoints>;
  /** Clusters whose port's appProtocol asks for websockets (kubernetes.io/ws, wss). */
  websocketClusters: Set<string>;
  /** Backends already resolved for this route, by reference: rules often repeat them. */
  resolved: Map<string, ResolvedBackend>;
}

type Route = GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>;

/** Resolves one backend and records its cluster; a problem goes to the route's conditions. */
export function useBackend(
  ref:
    | HTTPBackendRef
    | GRPCBackendRef
    | { name: string; kind?: string; group?: string; namespace?: string; port?: number },
  route: Route,
  ctx: RuleContext,
  sink: BackendSink,
  problems: RouteProblems,
): ResolvedBackend {
  const key = [ref.group ?? '', ref.kind ?? 'Service', ref.namespace ?? '', ref.name, ref.port ?? ''].join(
    '/',
  );
  const resolved = sink.resolved.get(key) ?? resolveBackend(ref, route, ctx);
  sink.resolved.set(key, resolved);
  if (resolved.port)
    sink.backendPorts.set(
      `${resolved.port.namespace}/${resolved.port.service}/${resolved.port.port}`,
      resolved.port,
    );
  if (!resolved.ok) {
    // A BackendTLSPolicy that can't be used is reported on the policy, not the route.
    if (!resolved.tlsFailure) problems.unresolved(resolved.reason, resolved.message);
    return resolved;
  }
  sink.clusters.set(resolved.cluster.name, resolved.cluster);
  if (resolved.endpoints) sink.endpoints.set(resolved.endpoints.clusterName, resolved.endpoints);
  if (resolved.websockets) sink.websocketClusters.add(resolved.cluster.name);
  return resolved;
}

export function forwardAction(
  refs: readonly (HTTPBackendRef | GRPCBackendRef)[],
  route: Route,
  ruleIndex: number,
  ctx: RuleContext,
  sink: BackendSink,
  problems: RouteProblems,
): IrRouteAction {
  const grpc = route.kind === 'GRPCRoute';
  const failStatus = grpc ? 503 : 500;
  const shares: (IrWeightedCluster & { resolved?: IrCluster })[] = [];
  refs.forEach((ref, j) => {
    const weight = ref.weight ?? 1;
    const extension = (ref.filters ?? []).find((f) => f.type === 'ExtensionRef');
    let resolved = useBackend(ref, route, ctx, sink, problems);
    if (resolved.ok && extension) {
      const message = `backendRef ${ref.name}: filter ExtensionRef ${extension.extensionRef?.kind ?? ''} ${extension.extensionRef?.name ?? ''}: kxds serves no extension filters; its share answers ${failStatus}`;
      problems.unresolved('InvalidKind', message);
      resolved = { ok: false, reason: 'InvalidKind', message };
    }
    if (weight === 0) return;
    if (!resolved.ok) {
      shares.push({
        cluster: `${UNRESOLVED_CLUSTER_PREFIX}${route.kind}/${route.metadata.namespace ?? 'default'}/${route.metadata.name}/${ruleIndex}/${j}`,
        weight,
      });
      return;
    }
    const request = headerModifier(
      ref.filters?.find((f) => f.type === 'RequestHeaderModifier')?.requestHeaderModifier,
    );
    const response = headerModifier(
      ref.filters?.find((f) => f.type === 'ResponseHeaderModifier')?.responseHeaderModifier,
    );
    shares.push({
      cluster: resolved.cluster.name,
      weight,
      resolved: resolved.cluster,
      ...(request ? { requestHeaders: request } : {}),
      ...(response ? { responseHeaders: response } : {}),
    });
  });
  const live = shares.filter((s) => s.resolved);
  if (live.length === 0) return { kind: 'direct', status: failStatus };
  const clusters = live.map((s) => s.resolved as IrCluster);
  const hashOn: IrHashOn[] = [];
  for (const h of clusters.flatMap((c) => c.hashOn ?? []))
    if (!hashOn.some((x) => JSON.stringify(x) === JSON.stringify(h))) hashOn.push(h);
  return {
    kind: 'forward',
    clusters: shares.map(({ resolved: _resolved, ...share }) => share),
    http2: grpc || clusters.some((c) => c.protocol === 'http2' || c.protocol === 'tls-http2'),
    hashOn,
    autoHostRewrite: clusters.some((c) => c.discovery?.kind === 'dns'),
    ...(live.length < shares.length ? { missingClusterStatus: failStatus } : {}),
  };
}

export function emptyBackendSink(): BackendSink {
  return {
    backendPorts: new Map(),
    clusters: new Map(),
    endpoints: new Map(),
    websocketClusters: new Set(),
    resolved: new Map(),
  };
}
