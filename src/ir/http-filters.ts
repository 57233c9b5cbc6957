// What a route asks of the HTTP filters, as plain data: client address ranges, CORS, a local rate limit,
// basic authentication, gRPC-Web, fault injection. Front-ends
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
