// HTTP IR, plain data: virtual hosts, routes and TLS chains of an "http" listener, before any Envoy field is
// chosen. Every front-end that serves HTTP fills it (the Ingress edge, Gateway API HTTPRoute/GRPCRoute, mesh
// routes); the Envoy back-end (src/envoy/http/) is the only reader. Fields a front-end does not use stay
// absent, so the Ingress output is unchanged by what Gateway API added.
import type { IrHashOn } from './clusters';
import type { IrRouteFilterSettings } from './http-filters';

/**
 * How a route matches the path. "prefix" is element-wise ("/foo" matches "/foo" and "/foo/bar", never
 * "/foobar"), as both Ingress Prefix and Gateway PathPrefix define it; "regex" is RE2 on the whole path.
 */
export type IrPathMatch =
  { kind: 'exact'; path: string } | { kind: 'prefix'; path: string } | { kind: 'regex'; regex: string };

/** A request header (or query parameter) the route requires: present, equal to a value, or an RE2 match. */
export interface IrHeaderMatch {
  name: string;
  exact?: string;
  /** RE2 on the whole value. */
  regex?: string;
}

export interface IrRouteMatch {
  path: IrPathMatch;
  headers: IrHeaderMatch[];
  /** Query parameters by name (exact or regex; the first occurrence, as Envoy matches). */
  queryParams?: IrHeaderMatch[];
}

/**
 * The start of a weighted cluster name that no node ever has, on purpose: the share of a backend that could
 * not be resolved, answered with the route's missingClusterStatus. A check that every routed cluster exists
 * (make before break) skips these.
 */
export const UNRESOLVED_CLUSTER_PREFIX = 'kxds-unresolved/';

export interface IrWeightedCluster {
  cluster: string;
  weight: number;
  /** Header changes only for the share of traffic sent to this cluster (Gateway backendRef filters). */
  requestHeaders?: IrHeaderModifier;
  responseHeaders?: IrHeaderModifier;
}

/** Headers to set (replace), add (append) and remove, as Gateway API's header modifier filters define them; values are literal. */
export interface IrHeaderModifier {
  set?: { name: string; value: string }[];
  add?: { name: string; value: string }[];
  remove?: string[];
}

export type IrRouteAction =
  /** Forward to one cluster (weight 100) or split between weighted clusters. */
  | {
      kind: 'forward';
      clusters: IrWeightedCluster[];
      http2: boolean;
      hashOn: IrRouteHashOn[];
      /** DNS (ExternalName) upstreams expect their own name in Host. */
      autoHostRewrite: boolean;
      /**
       * The status answered for the share of a cluster the node does not have (a backendRef that could not
       * be resolved: Gateway API wants 500 for exactly its share, and such a share is named with
       * UNRESOLVED_CLUSTER_PREFIX). Absent: Envoy's default, 503.
       */
      missingClusterStatus?: 500 | 503 | 404;
    }
  /** Answer locally, e.g. 503 when the backend Service or port doesn't exist. */
  | { kind: 'direct'; status: number; body?: string }
  | { kind: 'redirect-https' }
  | { kind: 'redirect'; redirect: IrRedirect };

/** A redirect with Gateway API's fields: each absent one keeps the request's own value. */
export interface IrRedirect {
  scheme?: 'http' | 'https';
  host?: string;
  port?: number;
  path?: IrPathRewrite;
  statusCode: 301 | 302 | 303 | 307 | 308;
}

/** Hashing for sticky sessions; cookies carry a TTL (0 = session cookie) so Envoy sets them itself. */
export type IrRouteHashOn = IrHashOn;

/**
 * Path rewrites: "prefix" replaces the matched prefix (element-wise, see the Envoy back-end), "full"
 * replaces the whole path, "regex" substitutes RE2 matches.
 */
export type IrPathRewrite =
  | { kind: 'prefix'; value: string }
  | { kind: 'full'; value: string }
  | { kind: 'regex'; pattern: string; substitution: string };

export type IrRewrite = IrPathRewrite;

/**
 * Retries: the conditions (Envoy's retry_on names; gRPC clients read only the gRPC status ones: cancelled,
 * deadline-exceeded, internal, resource-exhausted, unavailable), how many, and the backoff between them.
 */
export interface IrRetry {
  on: string[];
  numRetries?: number;
  perTryTimeoutMs?: number;
  /** Exponential backoff from baseMs, capped at maxMs (absent: 10 x baseMs, Envoy's and gRFC A44's default). */
  backoff?: { baseMs: number; maxMs?: number };
}

/** A copy of each request (or of a fraction of them) sent to another cluster; its answer is dropped. */
export interface IrMirror {
  cluster: string;
  /** Share of requests mirrored, as numerator/denominator; absent: every request. */
  fraction?: { numerator: number; denominator: number };
}

/** Retries, timeouts, rewrites, websockets, and what the route asks of each HTTP filter (see src/ir/). */
export interface IrRoutePolicies extends IrRouteFilterSettings {
  /** Upstream request timeout; 0 disables it (the default for HTTP/2 upstreams, so gRPC streams live). */
  timeoutMs?: number;
  idleTimeoutMs?: number;
  retry?: IrRetry;
  rewrite?: IrRewrite;
  /** Replace the Host header (Gateway URLRewrite hostname). */
  hostRewrite?: string;
  requestHeaders?: IrHeaderModifier;
  responseHeaders?: IrHeaderModifier;
  mirrors?: IrMirror[];
  websockets: boolean;
}

export interface IrRoute {
  /** "Kind ns/name" that produced the route, for warnings, access logs and debugging. */
  source: string;
  match: IrRouteMatch;
  action: IrRouteAction;
  policies: IrRoutePolicies;
}

export interface IrVirtualHost {
  /** A host ("foo.com"), a wildcard host ("*.foo.com") or "*" for rules without a host. */
  host: string;
  /**
   * Every name the virtual host answers, when that is more than `host` (a sidecar's Service port answers
   * NAME, NAME.NS, ..., each with and without :PORT, and its ClusterIP:PORT); absent: `host` alone.
   */
  domains?: string[];
  /** The virtual host's name in the route configuration; absent: derived from `host`. */
  name?: string;
  /** "*.foo.com" covers exactly one label (the Ingress rule), not any depth (Envoy's and Gateway API's). */
  singleLabelWildcard?: boolean;
  routes: IrRoute[];
  /**
   * Routes tried after `routes` without the one-label condition: a deeper name that Envoy's wildcard
   * domain caught but the Ingress rule does not cover still reaches the default backend ("*" routes).
   */
  fallback?: IrRoute[];
}

/** One RDS route configuration: what a listener (or one of its TLS chains) serves. */
export interface IrRouteConfig {
  name: string;
  virtualHosts: IrVirtualHost[];
}

export type TlsVersion = 'TLSv1_2' | 'TLSv1_3';

/**
 * Client certificates a chain asks for (ingress-nginx auth-tls-*): "require" refuses the handshake without
 * a certificate chaining to the CA; "optional" verifies one if sent and lets clients without one in;
 * "optional-untrusted" asks for one and verifies nothing (the backend decides, from what is forwarded).
 */
export interface IrClientCertificates {
  /** PEM CA certificates client certificates must chain to. */
  caPem: string;
  mode: 'require' | 'optional' | 'optional-untrusted';
  /** CA certificates allowed above the client's own (1: issued by a listed CA directly). */
  maxDepth: number;
  /** Send the client's certificate to the backend (X-Forwarded-Client-Cert). */
  forwardToUpstream: boolean;
}

/** A set of hosts served with one certificate: one filter chain on an HTTPS listener. */
export interface IrTlsChain {
  /** SDS secret name NAMESPACE/NAME. */
  secret: string;
  /** The filter chain's name, unique in its listener; absent: the secret's name. */
  name?: string;
  /** SNI names of the chain (exact or wildcard); empty: every name (the listener's default chain). */
  hosts: string[];
  minVersion: TlsVersion;
  /** Further certificates of the chain (e.g. an ECDSA next to an RSA one); Envoy picks by the client. */
  extraSecrets?: string[];
  /** The chain's route configuration name; absent: derived from the listener name and the secret. */
  routeName?: string;
  /** Client certificates the chain asks for; such a chain serves one host only. */
  clientCertificates?: IrClientCertificates;
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
