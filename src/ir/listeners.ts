// Listener IR, plain data: what a data plane listens with, before any Envoy field is chosen. The kinds a
// node group can hold: "api" (a proxyless gRPC client's xDS listener: no socket, routes by authority),
// "http" (an HttpConnectionManager on a port, TLS chains selected by SNI), "tcp" (SNI or port -> weighted
// backends, TLS passed through or terminated) and "udp". The proxyless view fills "api", the Ingress edge
// and Gateway API fill "http", L4 routes (TLS/TCP/UDPRoute, ssl-passthrough, TCP/UDP services) "tcp" and
// "udp"; sidecars fill "http" (explicit mode) and "transparent" (iptables capture: dispatch on the original
// destination to HTTP or TCP handling, the rest to where it was going).
import type { IrHashOn } from './clusters';
import type { IrFault } from './http-filters';
import type { IrRetry, IrRouteConfig, IrRouteMatch, IrTlsChain, IrWeightedCluster, TlsVersion } from './http';

export type { IrWeightedCluster };

/**
 * A route of an "api" listener: a path prefix (or a mesh route's match) to weighted clusters, with the
 * route's hash keys and the cap on each call's duration.
 */
export interface IrApiRoute {
  /** A path prefix ("/": every call); not used when `match` is set. */
  prefix: string;
  /** A mesh route's match: path and headers (gRPC clients match no query parameters). */
  match?: IrRouteMatch;
  backends: IrWeightedCluster[];
  hashOn: IrHashOn[];
  /** gRFC A31: each call ends with DEADLINE_EXCEEDED after this long (max_stream_duration); absent: no cap. */
  maxStreamDurationMs?: number;
  /** "Kind ns/name" of the mesh route it came from (the route's name in the Envoy output). */
  source?: string;
  /** gRFC A44: retries on gRPC status codes, with backoff (only what the client's dialect takes). */
  retry?: IrRetry;
  /** gRFC A33: delays and aborts by percentage (the listener then has faultInjection). */
  fault?: IrFault;
}

export interface IrApiVirtualHost {
  name: string;
  /** Every authority a client may dial. */
  domains: string[];
  routes: IrApiRoute[];
}

export interface IrApiListener {
  kind: 'api';
  /** The listener names a client may subscribe to (its dial target's authority); they share one route. */
  names: string[];
  routeName: string;
  virtualHosts: IrApiVirtualHost[];
  /** Header matches in the deprecated exact_match / safe_regex_match fields (the client's dialect reads no other). */
  legacyHeaderMatch?: boolean;
  /** The fault filter goes into the HCM chain before the router: a route of it injects faults. */
  faultInjection?: boolean;
}

/**
 * How a listener learns the client's address when proxies stand in front of it: the PROXY protocol header
 * a load balancer sends first on each connection, and/or this many X-Forwarded-For entries (from the
 * right) written by trusted proxies. Absent: the connection's peer is the client.
 */
export interface IrClientAddress {
  trustedHops: number;
  proxyProtocol: boolean;
}

/**
 * An HttpConnectionManager on a port: clear text with one route configuration, or TLS with one filter chain
 * (and route configuration) per certificate, chosen by SNI.
 */
export interface IrHttpListener {
  kind: 'http';
  name: string;
  /** The address the socket binds (0.0.0.0 in a pod; loopback in tests). */
  address: string;
  port: number;
  /**
   * Who connects: "edge" (clients from outside: their address is the connection's, Host ports are
   * stripped) or "sidecar" (the pod's own app: Host keeps its port, which picks the Service port).
   * Absent: edge.
   */
  facing?: 'edge' | 'sidecar';
  /** The routes of a clear-text listener. */
  routes?: IrRouteConfig;
  /** The chains of a TLS listener (a listener has routes or tls, not both). */
  tls?: IrTlsChain[];
  clientAddress?: IrClientAddress;
  /**
   * TLS passed through by SNI on the same port, ahead of the HTTPS chains (Ingress ssl-passthrough): a
   * passthrough chain matches transport "tls" too, so for its names it beats an HTTPS chain.
   */
  passthrough?: IrTcpRoute[];
  /**
   * The fault filter goes into the chain (before the router): some route asks for fault injection. Off
   * otherwise, so listeners without faults keep the chain they had.
   */
  faultInjection?: boolean;
}

/** How a TCP route treats TLS: not at all (plain TCP), passed through by SNI, or terminated at the listener. */
export type IrTcpTls =
  | { mode: 'passthrough' }
  | {
      mode: 'terminate';
      /** SDS secret names NAMESPACE/NAME of the chain's certificates. */
      secrets: string[];
      minVersion: TlsVersion;
    };

/** One filter chain of a "tcp" listener: connections it matches go, whole, to weighted backends. */
export interface IrTcpRoute {
  /** The owning object (e.g. TLSRoute NS/NAME), unique in its listener: the chain's name and stat prefix. */
  name: string;
  /** SNI names (exact or *.wildcard) the chain takes; absent or empty: every connection (or every TLS one). */
  sni?: string[];
  /** Where connections go; an absent cluster makes Envoy close the connection (a backend that is missing). */
  backends: IrWeightedCluster[];
  /** Absent: plain TCP (no SNI can be read, so sni must be empty). */
  tls?: IrTcpTls;
  /** Close a connection idle this long; absent: the back-end's default (one hour, Envoy's own). */
  idleTimeoutMs?: number;
  /**
   * Send a client's connections to the same backend, by its source address (ClientIP session affinity on a
   * ring-hash or maglev cluster); absent: the cluster's balancer alone.
   */
  hashSourceIp?: boolean;
  /**
   * Log each connection (absent: yes). Sidecars don't: every pod's every connection would be a line, where
   * the edge logs what enters the cluster.
   */
  accessLog?: boolean;
}

/** TCP proxying on a port: one chain per route, chosen by SNI when the routes are TLS. */
export interface IrTcpListener {
  kind: 'tcp';
  name: string;
  /** The address the socket binds (0.0.0.0 in a pod; loopback in tests). */
  address: string;
  port: number;
  routes: IrTcpRoute[];
}

/** UDP proxying on a port: every datagram session to one backend cluster. */
export interface IrUdpListener {
  kind: 'udp';
  name: string;
  address: string;
  port: number;
  /**
   * udp_proxy routes a session to one cluster: weighted backends are one cluster whose endpoints carry the
   * weights, so the back-end accepts exactly one entry here.
   */
  backends: IrWeightedCluster[];
  /** A session without datagrams this long ends; absent: the back-end's default (one minute, Envoy's own). */
  idleTimeoutMs?: number;
}

/**
 * What one chain of a transparent listener does with the connections it takes: speak HTTP with these
 * routes (clear text only: TLS on the same destination falls to the next chain), or relay the bytes.
 */
export type IrTransparentHandler =
  /** faultInjection: a route of the chain injects faults (the fault filter joins its chain). */
  { kind: 'http'; routes: IrRouteConfig; faultInjection?: boolean } | { kind: 'tcp'; route: IrTcpRoute };

/** One filter chain of a transparent listener, chosen by the connection's original destination. */
export interface IrTransparentChain {
  /** Unique in the listener: the chain's name (and the HCM's or tcp_proxy's stat prefix). */
  name: string;
  /** The original destination port. */
  port: number;
  /** Original destination addresses (a Service's ClusterIPs); empty: any address on the port. */
  addresses: string[];
  /** TLS connections whose SNI is one of these (exact names); absent: any connection. */
  sni?: string[];
  handler: IrTransparentHandler;
}

/**
 * Connections iptables redirected to the proxy: the listener reads each one's original destination and
 * picks a chain by port, address, then SNI; the rest go on, unchanged, to that original destination through
 * `passthroughCluster`. `tlsPorts` are the destination ports where the TLS inspector reads the ClientHello
 * (ports with SNI or HTTP chains); elsewhere nothing is read before relaying, so protocols where the server
 * speaks first work.
 */
export interface IrTransparentListener {
  kind: 'transparent';
  name: string;
  address: string;
  port: number;
  chains: IrTransparentChain[];
  passthroughCluster: string;
  tlsPorts: number[];
}

export type IrListener =
  IrApiListener | IrHttpListener | IrTcpListener | IrUdpListener | IrTransparentListener;
