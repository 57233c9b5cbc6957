// The edge intermediate representation: what the Ingresses of one controller class mean, as plain data,
// before any Envoy field is chosen. Built by ./build-ir.ts, turned into Envoy resources by ./resources.ts.
import type { IrCluster, IrEndpoints, IrHashOn } from '../../ir/clusters';
import type { IrRouteFilterSettings } from '../../ir/http-filters';

/** How a route matches the path. "prefix" is element-wise (Ingress Prefix), "regex" is RE2 on the whole path. */
export type IrPathMatch =
  { kind: 'exact'; path: string } | { kind: 'prefix'; path: string } | { kind: 'regex'; regex: string };

/** A request header the route requires: present, or equal to a value (canary-by-header). */
export interface IrHeaderMatch {
  name: string;
  exact?: string;
}

export interface IrRouteMatch {
  path: IrPathMatch;
  headers: IrHeaderMatch[];
}

export interface IrWeightedCluster {
  cluster: string;
  weight: number;
}

export type IrRouteAction =
  /** Forward to one cluster (weight 100) or split between a main and a canary cluster. */
  | {
      kind: 'forward';
      clusters: IrWeightedCluster[];
      http2: boolean;
      hashOn: IrRouteHashOn[];
      /** DNS (ExternalName) upstreams expect their own name in Host. */
      autoHostRewrite: boolean;
    }
  /** Answer locally, e.g. 503 when the backend Service or port doesn't exist. */
  | { kind: 'direct'; status: number }
  | { kind: 'redirect-https' };

/** Hashing for sticky sessions; cookies carry a TTL (0 = session cookie) so Envoy sets them itself. */
export type IrRouteHashOn = IrHashOn;

export type IrRewrite =
  { kind: 'prefix'; value: string } | { kind: 'regex'; pattern: string; substitution: string };

export interface IrRetry {
  on: string[];
  numRetries?: number;
  perTryTimeoutMs?: number;
}

/** Retries, timeouts, rewrites, websockets, and what the route asks of each HTTP filter (see src/ir/). */
export interface IrRoutePolicies extends IrRouteFilterSettings {
  /** Upstream request timeout; 0 disables it (the default for HTTP/2 upstreams, so gRPC streams live). */
  timeoutMs?: number;
  idleTimeoutMs?: number;
  retry?: IrRetry;
  rewrite?: IrRewrite;
  websockets: boolean;
}

export interface IrRoute {
  /** "Ingress ns/name" that produced the route, for warnings and debugging. */
  source: string;
  match: IrRouteMatch;
  action: IrRouteAction;
  policies: IrRoutePolicies;
}

export interface IrVirtualHost {
  /** A host ("foo.com"), a wildcard host ("*.foo.com") or "*" for rules without a host. */
  host: string;
  routes: IrRoute[];
}

export type TlsVersion = 'TLSv1_2' | 'TLSv1_3';

/** A set of hosts served with one certificate: one filter chain on the HTTPS listener. */
export interface IrTlsChain {
  /** SDS secret name NAMESPACE/NAME. */
  secret: string;
  /** SNI names of the chain (exact or wildcard). */
  hosts: string[];
  minVersion: TlsVersion;
  /**
   * The virtual hosts reachable through this chain: only hosts its certificate covers, so a client can't
   * present one name in SNI and reach another host's routes with the Host header.
   */
  virtualHosts: IrVirtualHost[];
}

/** A TLS certificate and key, decoded from a kubernetes.io/tls Secret. */
export interface IrSecret {
  name: string;
  certificatePem: string;
  privateKeyPem: string;
}

export interface IrEdge {
  /** Virtual hosts for the HTTP listener (TLS hosts redirect unless ssl-redirect is off). */
  httpVirtualHosts: IrVirtualHost[];
  tlsChains: IrTlsChain[];
  secrets: IrSecret[];
  clusters: IrCluster[];
  endpoints: IrEndpoints[];
  /** "ns/name" of each Ingress this controller serves, sorted. */
  servedIngresses: string[];
}
