// What a sidecar in transparent mode does with connections to one Service port: speak HTTP only when the
// port says it carries HTTP (the convention Istio users know), relay TLS by address or SNI without
// decrypting it, relay everything else as TCP. A port that says nothing is TCP: putting an HTTP parser on
// Redis, PostgreSQL or TCP DNS would break them, while relaying HTTP as TCP only loses per-request balancing.
import type { Service, ServicePort } from '../../model/k8s';
import { ANNOTATION_UPSTREAM_PROTOCOL } from '../clusters';

export type PortTraffic = 'http' | 'tls' | 'tcp';

/** appProtocol values (Kubernetes' own, and IANA names) that mean clear-text HTTP/1.1, h2c or gRPC. */
const HTTP_APP_PROTOCOLS = new Set(['http', 'h2c', 'grpc', 'http2', 'kubernetes.io/h2c', 'kubernetes.io/ws']);
const TLS_APP_PROTOCOLS = new Set(['https', 'tls', 'kubernetes.io/wss']);
/** Port name prefixes ("http", "http-web", "grpc-api"; the part before the first "-"), as Istio reads them. */
const HTTP_NAME_PREFIXES = new Set(['http', 'http2', 'h2c', 'grpc']);
const TLS_NAME_PREFIXES = new Set(['https', 'tls']);
/** kxds.io/upstream-protocol values: the owner's word on the port. */
const HTTP_ANNOTATION_VALUES = new Set(['http', 'http1', 'http2', 'h2c', 'grpc']);
const TLS_ANNOTATION_VALUES = new Set(['https', 'grpcs', 'h2']);

/** Websockets are switched on for ports that say they carry them. */
export function portCarriesWebsockets(port: ServicePort): boolean {
  return port.appProtocol?.toLowerCase() === 'kubernetes.io/ws';
}

export function portTraffic(service: Service, port: ServicePort): PortTraffic {
  const annotated = service.metadata.annotations?.[ANNOTATION_UPSTREAM_PROTOCOL]?.trim().toLowerCase();
  if (annotated && HTTP_ANNOTATION_VALUES.has(annotated)) return 'http';
  if (annotated && TLS_ANNOTATION_VALUES.has(annotated)) return 'tls';
  const appProtocol = port.appProtocol?.toLowerCase();
  if (appProtocol) {
    if (HTTP_APP_PROTOCOLS.has(appProtocol)) return 'http';
    // An appProtocol of another kind (mysql, kubernetes.io/...) is the owner's word: not HTTP, whatever the name.
    return TLS_APP_PROTOCOLS.has(appProtocol) || port.port === 443 ? 'tls' : 'tcp';
  }
  const prefix = (port.name ?? '').toLowerCase().split('-')[0] ?? '';
  if (HTTP_NAME_PREFIXES.has(prefix)) return 'http';
  if (TLS_NAME_PREFIXES.has(prefix) || port.port === 443) return 'tls';
  return 'tcp';
}
