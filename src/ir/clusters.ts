// The intermediate representation between the Kubernetes model and Envoy resources: plain data, no protobuf,
// no Kubernetes client. Translation builds these, then small builders in ./envoy turn them into typed
// Envoy objects. Keeping it plain makes golden tests and debugging readable.

/**
 * What the upstream speaks, decided from appProtocol, port name and annotations. "tcp": opaque bytes from a
 * tcp_proxy (TLS passthrough, TCP services): no HTTP options and no upstream TLS, whatever the port says.
 */
export type UpstreamProtocol = 'http1' | 'http2' | 'tls-http1' | 'tls-http2' | 'tcp';

export type LbPolicy = 'round-robin' | 'least-request' | 'random' | 'ring-hash' | 'maglev';

export interface IrServicePortRef {
  namespace: string;
  service: string;
  /** The Service port number (the cluster name uses it). */
  port: number;
  /** The Service port's name ("" when unnamed); EndpointSlice ports are matched by it. */
  portName: string;
}

export interface IrCluster {
  /** NAMESPACE/NAME/PORT; also the EDS service name. */
  name: string;
  ref: IrServicePortRef;
  protocol: UpstreamProtocol;
  lbPolicy: LbPolicy;
  connectTimeoutMs: number;
  /** How Envoy finds the hosts: EndpointSlices over EDS (the default) or DNS for ExternalName Services. */
  discovery?: IrClusterDiscovery;
  /** SNI sent to a TLS upstream. */
  tlsSni?: string;
  /** How a TLS upstream's certificate is verified (Gateway API BackendTLSPolicy); absent: not verified. */
  upstreamTls?: IrUpstreamTls;
  /** What the route hashes on for ring-hash/maglev (routes carry hash policies, clusters don't). */
  hashOn?: IrHashOn[];
  circuitBreakers?: IrCircuitBreakers;
  healthCheck?: IrHealthCheck;
  outlierDetection?: IrOutlierDetection;
}

/**
 * Verification of a TLS upstream: the CAs it must chain to and the names its certificate must carry.
 * "system" is the data plane's own trust store (for Envoy, the image's CA bundle file).
 */
export interface IrUpstreamTls {
  trust: { kind: 'pem'; pem: string } | { kind: 'system' };
  /** At least one must be a subject alternative name of the certificate. */
  subjectAltNames: { kind: 'dns' | 'uri'; value: string }[];
}

export type IrClusterDiscovery = { kind: 'eds' } | { kind: 'dns'; host: string; port: number };

/**
 * What a route hashes on. "channel-id" is gRPC's filter state io.grpc.channel_id (gRFC A42): every call of
 * one client channel hashes alike, which is what ClientIP affinity means for a proxyless client.
 */
export type IrHashOn =
  | { kind: 'header'; name: string }
  | { kind: 'cookie'; name: string }
  | { kind: 'source-ip' }
  | { kind: 'channel-id' };

export interface IrCircuitBreakers {
  maxConnections?: number;
  maxPendingRequests?: number;
  maxRequests?: number;
  maxRetries?: number;
}

export type IrHealthCheck = {
  intervalMs: number;
  timeoutMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
} & ({ kind: 'http'; path: string } | { kind: 'grpc'; serviceName: string });

export interface IrOutlierDetection {
  consecutive5xx?: number;
  consecutiveGatewayFailure?: number;
  intervalMs?: number;
  baseEjectionTimeMs?: number;
  maxEjectionPercent?: number;
  /** Failure-percentage ejection (Envoy and gRFC A50): a host failing this % of its requests is ejected. */
  failurePercentageThreshold?: number;
  failurePercentageMinimumHosts?: number;
  failurePercentageRequestVolume?: number;
  /** % of success-rate outliers actually ejected; unset = the data plane's default (100). */
  enforcingSuccessRate?: number;
}

export type IrEndpointHealth = 'HEALTHY' | 'DRAINING';

export interface IrEndpoint {
  address: string;
  port: number;
  health: IrEndpointHealth;
  /**
   * This endpoint's share against the others of its cluster (absent: 1). Set only where one cluster stands
   * for several weighted backends (weighted UDPRoute backends: udp_proxy takes one cluster).
   */
  weight?: number;
  /** Pod or host name when known, for debugging output. */
  target?: string;
}

export interface IrLocality {
  /** Topology zone ("" when the EndpointSlice gave none). */
  zone: string;
  endpoints: IrEndpoint[];
}

export interface IrEndpoints {
  clusterName: string;
  localities: IrLocality[];
}

/**
 * A cluster without endpoints of its own: each connection goes to the address it was originally sent to
 * (a sidecar's traffic to destinations kxds does not know, and inbound traffic to the pod's own ports).
 */
export interface IrOriginalDstCluster {
  name: string;
  connectTimeoutMs: number;
}

/** A Service-level policy a node group's dialect cannot take, left out of its resources. */
export interface HeldBackPolicy {
  /** The cluster it would have shaped (NAMESPACE/NAME/PORT). */
  cluster: string;
  /** The Service whose annotations or spec asked for it. */
  service: { namespace: string; name: string };
  /** What was held back, e.g. "lb-policy ring-hash", "health-check", "outlier-detection consecutive-5xx". */
  policy: string;
  /** Why, and what the client gets instead. */
  reason: string;
}
