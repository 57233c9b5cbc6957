// Listener IR, plain data: what a data plane listens with, before any Envoy field is chosen. The kinds a
// node group can hold: "api" (a proxyless gRPC client's xDS listener: no socket, routes by authority),
// "http" (an HttpConnectionManager on a port, TLS chains selected by SNI), "tcp" (SNI or port -> weighted
// backends, TLS passed through or terminated) and "udp". Today the proxyless view fills "api"; the edge,
// sidecars, Gateway API and L4 routes are to fill the others (docs/architecture.md, "Translation core v2, how far it got").
import type { IrHashOn } from './clusters';

export interface IrWeightedCluster {
  cluster: string;
  weight: number;
}

/** A route of an "api" listener: a path prefix to weighted clusters, with the route's hash keys. */
export interface IrApiRoute {
  prefix: string;
  backends: IrWeightedCluster[];
  hashOn: IrHashOn[];
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
}

/** A certificate and the SNI names it serves on an "http" or "tcp" listener. */
export interface IrTlsTermination {
  /** SDS secret name NAMESPACE/NAME. */
  secret: string;
  sni: string[];
  minVersion: 'TLSv1_2' | 'TLSv1_3';
}

export interface IrHttpListener {
  kind: 'http';
  name: string;
  port: number;
  tls?: IrTlsTermination[];
  /** The route configuration(s) its virtual hosts are served under (RDS). */
  routeNames: string[];
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
