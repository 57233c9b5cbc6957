// What a route asks of the HTTP filters, as plain data: client address ranges, CORS, a local rate limit,
// basic and forward authentication, gRPC-Web, fault injection. Front-ends
// fill it (the Ingress edge from annotations; Gateway API filters next); the Envoy back-end's HTTP filter
// plug-ins (src/envoy/http-filters/) turn each into the filter's per-route configuration.

export interface IrCors {
  allowOrigins: string[];
  allowMethods: string;
  allowHeaders: string;
  exposeHeaders: string;
  maxAgeSeconds: number;
  allowCredentials: boolean;
  /**
   * What "*" in an origin's host covers: one DNS label (ingress-nginx, the default) or any number of labels
   * to its left, dots included (Gateway API's CORS filter).
   */
  originWildcard?: 'one-label' | 'any-labels';
}

export interface IrRateLimit {
  requestsPerSecond: number;
  burst: number;
}

/** An address block: the address as written (IPv4 or IPv6) and its prefix length. */
export interface IrCidr {
  address: string;
  prefixLength: number;
}

/**
 * Which client addresses a route serves: with `allow` non-empty only those, never one in `deny` (deny wins).
 * `by`: "peer" judges the connection's own address; "client" the address the edge infers (trusted
 * X-Forwarded-For hops, the PROXY protocol), which is only right when the listener is set up to infer it.
 */
export interface IrSourceRanges {
  allow: IrCidr[];
  deny: IrCidr[];
  by: 'peer' | 'client';
}

/** HTTP basic authentication: the users as htpasswd lines "user:{SHA}base64", the one hash Envoy checks. */
export interface IrBasicAuth {
  htpasswd: string;
}

/**
 * Forward authentication (ingress-nginx auth-url): before the route forwards, a check request goes to an
 * HTTP service; its 200 lets the request through (with the listed response headers copied upstream),
 * any other answer is the client's. Routes with the same fields share one filter in the listener's chain.
 */
export interface IrForwardAuth {
  /** The auth service's cluster (a Service port of the cluster, as any backend). */
  cluster: string;
  /** The service's URL, for people reading the config ("http://NAME.NAMESPACE.svc:PORT/PATH"). */
  uri: string;
  /** The auth URL's path: the check request's path is this followed by the client's path (Envoy's rule). */
  pathPrefix: string;
  /** Headers of the auth service's 200 answer copied onto the upstream request (lowercase). */
  responseHeaders: string[];
  /** X-Auth-Request-Redirect sent to the auth service; absent: the client's path and query. */
  requestRedirect?: string;
  /** How long the check may take before the request fails closed. */
  timeoutMs: number;
}

/**
 * Fault injection (Envoy's fault filter; gRFC A33 for gRPC clients): a share of requests delayed, a share
 * answered at once with an error. Percentages are of all requests, 0-100 with up to four decimals.
 */
export interface IrFault {
  delay?: { fixedMs: number; percent: number };
  abort?: { percent: number } & ({ grpcStatus: number } | { httpStatus: number });
}

export interface IrRouteFilterSettings {
  fault?: IrFault;
  sourceRanges?: IrSourceRanges;
  basicAuth?: IrBasicAuth;
  forwardAuth?: IrForwardAuth;
  cors?: IrCors;
  rateLimit?: IrRateLimit;
  /** gRPC-Web is off in the listener's chain unless a route switches it on. */
  grpcWeb: boolean;
}

/**
 * The RE2 regex a wildcard origin becomes ("https://*.example.com": one label, the rest literal), if any.
 * Shared by front-ends (which check it with RE2) and the CORS plug-in (which emits it).
 */
export function corsOriginRegex(
  origin: string,
  wildcard: IrCors['originWildcard'] = 'one-label',
): string | undefined {
  if (origin === '*') return '.*';
  if (!origin.includes('*')) return undefined;
  const star = wildcard === 'any-labels' ? '.*' : '[^.]+';
  return origin.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, star);
}
