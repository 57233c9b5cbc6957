// Listener IR, plain data: what a data plane listens with, before any Envoy field is chosen. The kinds a
// node group can hold: "api" (a proxyless gRPC client's xDS listener: no socket, routes by authority),
// "http" (an HttpConnectionManager on a port, TLS chains selected by SNI), "tcp" (SNI or port -> weighted
// backends, TLS passed through or terminated) and "udp". The proxyless view fills "api", the Ingress edge
// and Gateway API fill "http"; L4 routes are to fill "tcp" and "udp" (sidecars still build Envoy directly).
import type { IrHashOn } from './clusters';
import type { IrRouteConfig, IrRouteMatch, IrTlsChain, IrWeightedCluster } from './http';

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
  /** The routes of a clear-text listener. */
  routes?: IrRouteConfig;
  /** The chains of a TLS listener (a listener has routes or tls, not both). */
  tls?: IrTlsChain[];
}

export interface IrTcpListener {
  kind: 'tcp';
  name: string;
  port: number;
  routes: { sni?: string[]; backends: IrWeightedCluster[]; passthrough: boolean }[];
}

export interface IrUdpListener {
  kind: 'udp';
  name: string;
  port: number;
  backends: IrWeightedCluster[];
}

export type IrListener = IrApiListener | IrHttpListener | IrTcpListener | IrUdpListener;
