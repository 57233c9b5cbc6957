// Service ports -> IR clusters: which protocol the upstream speaks and how to balance across it.
import type { Service, ServicePort } from '../model/k8s';
import { objectRef } from '../model/k8s';
import type { IrCluster, IrServicePortRef, LbPolicy, TranslationWarning, UpstreamProtocol } from './ir';
import { clusterName } from './names';

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
export function upstreamProtocol(
  service: Service,
  port: ServicePort,
  warnings: TranslationWarning[],
): UpstreamProtocol {
  const annotated = service.metadata.annotations?.[ANNOTATION_UPSTREAM_PROTOCOL];
  if (annotated !== undefined) {
    const protocol = PROTOCOL_ANNOTATION_VALUES[annotated.trim().toLowerCase()];
    if (protocol) return protocol;
    warnings.push({
      object: objectRef(service),
      reason: `annotation ${ANNOTATION_UPSTREAM_PROTOCOL}: unknown value "${annotated}" (expected one of ${Object.keys(PROTOCOL_ANNOTATION_VALUES).join(', ')}); using the port's own protocol`,
    });
  }
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol && HTTP2_APP_PROTOCOLS.has(appProtocol)) return 'http2';
  if (appProtocol === 'https') return 'tls-http1';
  const name = (port.name ?? '').toLowerCase();
  if (name.startsWith('grpc') || name.startsWith('h2c') || name.startsWith('http2')) return 'http2';
  if (name === 'https' || name.startsWith('https-')) return 'tls-http1';
  return 'http1';
}

export function lbPolicy(service: Service, warnings: TranslationWarning[]): LbPolicy {
  const annotated = service.metadata.annotations?.[ANNOTATION_LOAD_BALANCER];
  if (annotated !== undefined) {
    const value = annotated.trim().toLowerCase() as LbPolicy;
    if (LB_POLICIES.includes(value)) return value;
    warnings.push({
      object: objectRef(service),
      reason: `annotation ${ANNOTATION_LOAD_BALANCER}: unknown value "${annotated}" (expected one of ${LB_POLICIES.join(', ')}); using round-robin`,
    });
  }
  if (service.spec.sessionAffinity === 'ClientIP') return 'ring-hash';
  return 'round-robin';
}

export function clusterForServicePort(
  service: Service,
  port: ServicePort,
  warnings: TranslationWarning[],
): IrCluster {
  const ref = servicePortRef(service, port);
  return {
    name: clusterName(ref),
    ref,
    protocol: upstreamProtocol(service, port, warnings),
    lbPolicy: lbPolicy(service, warnings),
    connectTimeoutMs: 5000,
  };
}

/** Services that are backed by EndpointSlices (ExternalName ones are not). */
export function hasEndpoints(service: Service): boolean {
  return service.spec.type !== 'ExternalName';
}
