// Service ports -> IR clusters: which protocol the upstream speaks, how to balance across it, and the
// Service-level policies every data plane is offered.
import type { Service, ServicePort } from '../model/k8s';
import type { IrCluster, IrServicePortRef, LbPolicy, UpstreamProtocol } from '../ir/clusters';
import { report, type FindingReason, type Statuses } from './findings';
import { clusterName } from './names';
import { circuitBreakers, connectTimeoutMs, hashOn, healthCheck, outlierDetection } from './service-policies';

export const ANNOTATION_UPSTREAM_PROTOCOL = 'kxds.io/upstream-protocol';
export const ANNOTATION_LOAD_BALANCER = 'kxds.io/load-balancer';

const HTTP2_APP_PROTOCOLS = new Set(['grpc', 'h2c', 'kubernetes.io/h2c', 'http2']);
const LB_POLICIES: readonly LbPolicy[] = ['round-robin', 'least-request', 'random', 'ring-hash', 'maglev'];
const PROTOCOL_ANNOTATION_VALUES: Readonly<Record<string, UpstreamProtocol>> = {
  http: 'http1',
  http1: 'http1',
  http2: 'http2',
  h2c: 'http2',
  grpc: 'http2',
  https: 'tls-http1',
  grpcs: 'tls-http2',
  h2: 'tls-http2',
};

export function servicePortRef(service: Service, port: ServicePort): IrServicePortRef {
  return {
    namespace: service.metadata.namespace ?? 'default',
    service: service.metadata.name,
    port: port.port,
    portName: port.name ?? '',
  };
}

/** The protocol for one port: the Service annotation wins, then appProtocol, then the port name's prefix. */
export function upstreamProtocol(service: Service, port: ServicePort, warnings: Statuses): UpstreamProtocol {
  const annotated = service.metadata.annotations?.[ANNOTATION_UPSTREAM_PROTOCOL];
  if (annotated !== undefined) {
    const protocol = PROTOCOL_ANNOTATION_VALUES[annotated.trim().toLowerCase()];
    if (protocol) return protocol;
    report(
      warnings,
      service,
      'InvalidAnnotation',
      `annotation ${ANNOTATION_UPSTREAM_PROTOCOL}: unknown value "${annotated}" (expected one of ${Object.keys(PROTOCOL_ANNOTATION_VALUES).join(', ')}); using the port's own protocol`,
    );
  }
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol && HTTP2_APP_PROTOCOLS.has(appProtocol)) return 'http2';
  if (appProtocol === 'https') return 'tls-http1';
  // An explicit appProtocol of another kind (http, kubernetes.io/ws, ...) is the owner's word: the port's
  // name is only a convention for ports that don't say.
  if (appProtocol) return 'http1';
  const name = (port.name ?? '').toLowerCase();
  if (name.startsWith('grpc') || name.startsWith('h2c') || name.startsWith('http2')) return 'http2';
  if (name === 'https' || name.startsWith('https-')) return 'tls-http1';
  return 'http1';
}

export function lbPolicy(service: Service, warnings: Statuses): LbPolicy {
  const annotated = service.metadata.annotations?.[ANNOTATION_LOAD_BALANCER];
  if (annotated !== undefined) {
    const value = annotated.trim().toLowerCase() as LbPolicy;
    if (LB_POLICIES.includes(value)) return value;
    report(
      warnings,
      service,
      'InvalidAnnotation',
      `annotation ${ANNOTATION_LOAD_BALANCER}: unknown value "${annotated}" (expected one of ${LB_POLICIES.join(', ')}); using round-robin`,
    );
  }
  if (service.spec.sessionAffinity === 'ClientIP') return 'ring-hash';
  return 'round-robin';
}

/** What the operator sets for every cluster (kxds serve flags); a Service annotation may override it. */
export interface ClusterDefaults {
  connectTimeoutMs: number;
}

export const DEFAULT_CLUSTER_DEFAULTS: ClusterDefaults = { connectTimeoutMs: 5000 };

function baseCluster(
  service: Service,
  port: ServicePort,
  warnings: Statuses,
  defaults: ClusterDefaults,
): IrCluster {
  const ref = servicePortRef(service, port);
  return {
    name: clusterName(ref),
    ref,
    protocol: upstreamProtocol(service, port, warnings),
    lbPolicy: lbPolicy(service, warnings),
    connectTimeoutMs: connectTimeoutMs(service, warnings) ?? defaults.connectTimeoutMs,
  };
}

/**
 * The cluster every data plane is given for one Service port, with all its Service-level policies (LB,
 * hashing, circuit breakers, health checks, outlier detection, connect timeout). Each data plane's dialect
 * then keeps what it can take (dialects/hold-back.ts).
 */
export function clusterForServicePort(
  service: Service,
  port: ServicePort,
  warnings: Statuses,
  defaults: ClusterDefaults = DEFAULT_CLUSTER_DEFAULTS,
): IrCluster {
  return withServicePolicies(baseCluster(service, port, warnings, defaults), service, port, warnings);
}

/** Adds the annotated policies; the protocol must be final (a gRPC health check needs HTTP/2). */
function withServicePolicies(
  base: IrCluster,
  service: Service,
  port: ServicePort,
  warnings: Statuses,
  needsHashing = false,
): IrCluster {
  const cluster: IrCluster = { ...base };
  const hashing = hashOn(service, warnings);
  if (hashing) cluster.hashOn = hashing;
  const explicitLb = service.metadata.annotations?.[ANNOTATION_LOAD_BALANCER] !== undefined;
  // Hashing only means something to a hashing balancer; pick one unless the Service chose its own.
  if ((hashing || needsHashing) && !explicitLb) cluster.lbPolicy = 'ring-hash';
  if (hashing && explicitLb && cluster.lbPolicy !== 'ring-hash' && cluster.lbPolicy !== 'maglev')
    report(
      warnings,
      service,
      'IncompatibleSettings',
      `annotation kxds.io/hash-on has no effect with kxds.io/load-balancer ${cluster.lbPolicy}: only ring-hash and maglev hash; no affinity`,
    );
  const breakers = circuitBreakers(service, warnings);
  if (breakers) cluster.circuitBreakers = breakers;
  const check = healthCheck(service, warnings);
  if (check?.kind === 'grpc' && cluster.protocol !== 'http2' && cluster.protocol !== 'tls-http2') {
    report(
      warnings,
      service,
      'IncompatibleSettings',
      `annotation kxds.io/health-check: gRPC health checks need an HTTP/2 port, and port ${port.port} is not; no health check`,
    );
  } else if (check) {
    cluster.healthCheck = check;
  }
  const outliers = outlierDetection(service, warnings);
  if (outliers) cluster.outlierDetection = outliers;
  return cluster;
}

/** Services that are backed by EndpointSlices (ExternalName ones are not). */
export function hasEndpoints(service: Service): boolean {
  return service.spec.type !== 'ExternalName';
}

export interface EdgeClusterOptions {
  /** ExternalName Services become DNS clusters only when the operator allows it (they reach outside). */
  allowExternalName: boolean;
  /** A protocol an Ingress asked for (backend-protocol); Service annotations still win over it. */
  protocolHint?: UpstreamProtocol;
  /** A route hashes on a cookie (ingress-nginx affinity): the cluster must use a hashing balancer. */
  needsHashing?: boolean;
  defaults?: ClusterDefaults;
}

export type EdgeClusterResult =
  { ok: true; cluster: IrCluster } | { ok: false; cause: FindingReason; reason: string };

/**
 * The edge cluster for one Service port: the shared cluster plus upstream TLS, DNS discovery for
 * ExternalName Services, hashing, circuit breakers, health checks and outlier detection.
 */
export function edgeClusterForServicePort(
  service: Service,
  port: ServicePort,
  warnings: Statuses,
  options: EdgeClusterOptions,
): EdgeClusterResult {
  const base = baseCluster(service, port, warnings, options.defaults ?? DEFAULT_CLUSTER_DEFAULTS);
  const explicitProtocol = service.metadata.annotations?.[ANNOTATION_UPSTREAM_PROTOCOL] !== undefined;
  // Opaque TCP beats the Service's own protocol: a tcp_proxy cannot speak HTTP or TLS to the upstream.
  const hinted = options.protocolHint === 'tcp' || !explicitProtocol ? options.protocolHint : undefined;
  const protocol = hinted ?? base.protocol;
  const discovered: IrCluster = { ...base, protocol, discovery: { kind: 'eds' } };
  if (service.spec.type === 'ExternalName') {
    const discovery = externalNameDiscovery(service, port, options.allowExternalName);
    if (!discovery.ok) return discovery;
    discovered.discovery = discovery.value;
    if (protocol === 'tls-http1' || protocol === 'tls-http2') discovered.tlsSni = discovery.value.host;
  }
  return {
    ok: true,
    cluster: withServicePolicies(discovered, service, port, warnings, options.needsHashing),
  };
}

const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

function externalNameDiscovery(
  service: Service,
  port: ServicePort,
  allowed: boolean,
):
  | { ok: true; value: { kind: 'dns'; host: string; port: number } }
  | { ok: false; cause: FindingReason; reason: string } {
  if (!allowed) {
    return {
      ok: false,
      cause: 'RefNotPermitted',
      reason: 'ExternalName Services are not served at the edge unless kxds runs with --allow-external-name',
    };
  }
  const host = (service.spec.externalName ?? '').toLowerCase().replace(/\.$/, '');
  if (!DNS_NAME.test(host) || /^[0-9.]+$/.test(host)) {
    return {
      ok: false,
      cause: 'UnsupportedBackend',
      reason: `externalName "${service.spec.externalName ?? ''}" is not a DNS name`,
    };
  }
  // A name resolving to the edge itself would let any Ingress author reach Envoy's own admin or loopback.
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.localdomain') {
    return {
      ok: false,
      cause: 'RefNotPermitted',
      reason: `externalName "${host}" points at the edge itself; refused`,
    };
  }
  return { ok: true, value: { kind: 'dns', host, port: port.port } };
}
