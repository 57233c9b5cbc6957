// A route's backendRef (or mirror target) -> the IR cluster and endpoints it sends to, or the Gateway API
// reason it can't (the reference itself is checked by backend-ref.ts; an appProtocol the gateway can't
// speak -> UnsupportedProtocol). Clusters are the shared Service-port clusters
// (src/translate/clusters.ts) with the BackendTLSPolicy in force; GRPCRoute backends always speak HTTP/2.
import type { Service, ServicePort } from '../../../model/k8s';
import type { GatewayApiObject } from '../../../model/gateway-api';
import type { IrCluster, IrEndpoints, IrServicePortRef, UpstreamProtocol } from '../../../ir/clusters';
import { edgeClusterForServicePort, hasEndpoints, servicePortRef } from '../../../translate/clusters';
import { localitiesForServicePort } from '../../../translate/endpoints';
import type { RuleContext } from '../contract';
import type { RouteReason } from './conditions';
import { policyFor, policyTls } from './backend-tls';
import { lookUpServicePort } from './backend-ref';
import type { BackendObjectReference } from './spec';

export type ResolvedBackend = (
  | { ok: true; cluster: IrCluster; endpoints?: IrEndpoints; websockets: boolean }
  /** `tlsFailure`: the backend exists but its BackendTLSPolicy can't be used (the policy's status says why). */
  | { ok: false; reason: RouteReason; message: string; tlsFailure?: boolean }
) & {
  /** The Service port named, once the Service and port exist. */
  port?: IrServicePortRef;
};

/** appProtocols a route can speak to; other kubernetes.io/ ones are UnsupportedProtocol. */
const WEBSOCKET_APP_PROTOCOLS = new Set(['kubernetes.io/ws', 'kubernetes.io/wss']);
const KNOWN_K8S_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', ...WEBSOCKET_APP_PROTOCOLS]);

const toHttp2: Readonly<Record<UpstreamProtocol, UpstreamProtocol>> = {
  http1: 'http2',
  http2: 'http2',
  'tls-http1': 'tls-http2',
  'tls-http2': 'tls-http2',
  // Opaque TCP is only ever asked for by L4 routes, never derived from a Service port: left as it is.
  tcp: 'tcp',
};
const toTls: Readonly<Record<UpstreamProtocol, UpstreamProtocol>> = {
  http1: 'tls-http1',
  http2: 'tls-http2',
  'tls-http1': 'tls-http1',
  'tls-http2': 'tls-http2',
  tcp: 'tcp',
};

export function resolveBackend(
  ref: BackendObjectReference,
  route: GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>,
  ctx: RuleContext,
): ResolvedBackend {
  const found = lookUpServicePort(ref, route, ctx);
  if (!found.ok) return found;
  const { service, port, label } = found;
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol?.startsWith('kubernetes.io/') && !KNOWN_K8S_APP_PROTOCOLS.has(appProtocol))
    return {
      ok: false,
      reason: 'UnsupportedProtocol',
      message: `backendRef ${label}: appProtocol ${port.appProtocol} is not supported`,
    };
  const backend = serviceBackend(
    service,
    port,
    route.kind === 'GRPCRoute',
    ctx,
    label,
    WEBSOCKET_APP_PROTOCOLS.has(appProtocol ?? ''),
  );
  return { ...backend, port: servicePortRef(service, port) };
}

function serviceBackend(
  service: Service,
  port: ServicePort,
  grpc: boolean,
  ctx: RuleContext,
  label: string,
  websockets: boolean,
): ResolvedBackend {
  const built = edgeClusterForServicePort(service, port, ctx.warnings, {
    allowExternalName: ctx.options.allowExternalName,
    defaults: { connectTimeoutMs: ctx.options.connectTimeoutMs },
  });
  if (!built.ok) {
    const reason = built.cause === 'RefNotPermitted' ? 'RefNotPermitted' : 'BackendNotFound';
    return { ok: false, reason, message: `backendRef ${label}: ${built.reason}` };
  }
  let cluster = built.cluster;
  // A GRPCRoute speaks HTTP/2 to a port whatever it is named; an HTTPRoute to the same port keeps its
  // protocol, so the HTTP/2 cluster has its own name.
  if (grpc && toHttp2[cluster.protocol] !== cluster.protocol)
    cluster = { ...cluster, name: `${cluster.name}/h2c`, protocol: toHttp2[cluster.protocol] };
  const policy = policyFor(ctx.model, service, port);
  if (policy) {
    const tls = policyTls(ctx.model, policy.winner);
    if (!tls.ok)
      return {
        ok: false,
        reason: 'BackendNotFound',
        message: `backendRef ${label}: ${tls.message}`,
        tlsFailure: true,
      };
    cluster = { ...cluster, protocol: toTls[cluster.protocol], tlsSni: tls.sni, upstreamTls: tls.tls };
  }
  const endpoints =
    cluster.discovery?.kind === 'dns' || !hasEndpoints(service)
      ? undefined
      : {
          clusterName: cluster.name,
          localities: localitiesForServicePort(
            ctx.model.endpointSlicesFor(cluster.ref.namespace, cluster.ref.service),
            cluster.ref,
            ctx.warnings,
          ),
        };
  return { ok: true, cluster, ...(endpoints ? { endpoints } : {}), websockets };
}
