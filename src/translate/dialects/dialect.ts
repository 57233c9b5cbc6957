// Dialects: what one kind of data plane may receive. Envoy (edge and sidecars) takes every field kxds
// writes; a proxyless gRPC client takes the subset its implementation and version support, because an
// unsupported value makes it NACK the whole response (or worse: gRPC C-core 1.51 from Debian crashes on
// any RING_HASH cluster). Every capability a dialect lacks is a policy held back for its nodes, recorded
// per node group (see hold-back.ts). The rows for gRPC clients are the ones verified against real clients
// here (grpc-js-xds 1.14.1, C-core 1.51.1); an unknown gRPC client gets the conservative set.
import type { LbPolicy } from '../../ir/clusters';
import type { GrpcDialect } from '../../xds/client-dialect';

export type DialectId = 'envoy' | GrpcDialect;

export interface Dialect {
  id: DialectId;
  /** For people: which clients it stands for. */
  label: string;
  /** Load-balancing algorithms the client accepts as a cluster's lb_policy. */
  lbPolicies: ReadonlySet<LbPolicy>;
  /** Route hash policies it honours (A42 for gRPC: a header or the channel id, never a cookie or IP). */
  hashOn: ReadonlySet<'header' | 'cookie' | 'source-ip' | 'channel-id'>;
  /**
   * Outlier detection: 'envoy' = every field; 'grpc' = gRFC A50 (success rate and failure percentage,
   * no consecutive-error counters); 'none' = left out.
   */
  outlierDetection: 'envoy' | 'grpc' | 'none';
  /** Circuit breakers: every threshold, only max_requests (gRFC A32), or none. */
  circuitBreakers: 'all' | 'max-requests' | 'none';
  /** Active health checks (gRPC clients have none from xDS). */
  healthChecks: boolean;
  /** Upstream TLS and HTTP protocol options on clusters (gRPC clients need xDS credentials for TLS). */
  upstreamTransport: boolean;
  /**
   * How route header matches are written: 'string' = HeaderMatcher.string_match; 'legacy' = the deprecated
   * exact_match / safe_regex_match (gRPC C-core 1.51 fails every call of a route configuration using
   * string_match).
   */
  headerMatch: 'string' | 'legacy';
  /**
   * Route retries: 'envoy' = every condition, per-try timeout and backoff; 'grpc' = gRFC A44 (gRPC status
   * codes, attempts, backoff; no per-try timeout); 'none' = left out.
   */
  retries: 'envoy' | 'grpc' | 'none';
  /** Fault injection (the fault filter; gRFC A33 for gRPC clients): delays and aborts by percentage. */
  faultInjection: boolean;
}

const ALL_LB: readonly LbPolicy[] = ['round-robin', 'least-request', 'random', 'ring-hash', 'maglev'];

export const DIALECTS: Readonly<Record<DialectId, Dialect>> = {
  envoy: {
    id: 'envoy',
    label: 'Envoy (edge, sidecars)',
    lbPolicies: new Set(ALL_LB),
    hashOn: new Set(['header', 'cookie', 'source-ip']),
    outlierDetection: 'envoy',
    circuitBreakers: 'all',
    healthChecks: true,
    upstreamTransport: true,
    headerMatch: 'string',
    retries: 'envoy',
    faultInjection: true,
  },
  'grpc-js': {
    id: 'grpc-js',
    label: 'grpc-js-xds 1.14 and later',
    lbPolicies: new Set(['round-robin', 'ring-hash']),
    hashOn: new Set(['header', 'channel-id']),
    outlierDetection: 'grpc',
    circuitBreakers: 'max-requests',
    healthChecks: false,
    upstreamTransport: false,
    headerMatch: 'string',
    retries: 'grpc',
    faultInjection: true,
  },
  'grpc-core': {
    id: 'grpc-core',
    // Ring hash is listed for C-core but Debian's 1.51.1 crashes (exit 139) on any RING_HASH cluster.
    label: 'gRPC C-core 1.51 and later (Python, C++, Ruby, PHP)',
    lbPolicies: new Set(['round-robin']),
    hashOn: new Set(),
    outlierDetection: 'grpc',
    circuitBreakers: 'max-requests',
    healthChecks: false,
    upstreamTransport: false,
    headerMatch: 'legacy',
    retries: 'grpc',
    faultInjection: true,
  },
  grpc: {
    id: 'grpc',
    label: 'other gRPC xDS clients (conservative)',
    lbPolicies: new Set(['round-robin']),
    hashOn: new Set(),
    outlierDetection: 'none',
    circuitBreakers: 'max-requests',
    healthChecks: false,
    upstreamTransport: false,
    headerMatch: 'legacy',
    // A44 and A33 are not verified for other clients: an unknown value would be NACKed.
    retries: 'none',
    faultInjection: false,
  },
};
