// Compile-time link between an Envoy message's full name and its generated TypeScript shape, so that
// packing `pack('envoy.config.cluster.v3.Cluster', {...})` checks every field name at compile time.
import type { Cluster } from '../generated/envoy/config/cluster/v3/Cluster';
import type { ClusterLoadAssignment } from '../generated/envoy/config/endpoint/v3/ClusterLoadAssignment';
import type { Listener } from '../generated/envoy/config/listener/v3/Listener';
import type { RouteConfiguration } from '../generated/envoy/config/route/v3/RouteConfiguration';
import type { Secret } from '../generated/envoy/extensions/transport_sockets/tls/v3/Secret';
import type { FilterConfig } from '../generated/envoy/config/route/v3/FilterConfig';
import type { HttpConnectionManager } from '../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import type { Router } from '../generated/envoy/extensions/filters/http/router/v3/Router';
import type { GrpcWeb } from '../generated/envoy/extensions/filters/http/grpc_web/v3/GrpcWeb';
import type { Cors } from '../generated/envoy/extensions/filters/http/cors/v3/Cors';
import type { CorsPolicy } from '../generated/envoy/extensions/filters/http/cors/v3/CorsPolicy';
import type { LocalRateLimit } from '../generated/envoy/extensions/filters/http/local_ratelimit/v3/LocalRateLimit';
import type { BasicAuth } from '../generated/envoy/extensions/filters/http/basic_auth/v3/BasicAuth';
import type { BasicAuthPerRoute } from '../generated/envoy/extensions/filters/http/basic_auth/v3/BasicAuthPerRoute';
import type { ExtAuthz } from '../generated/envoy/extensions/filters/http/ext_authz/v3/ExtAuthz';
import type { HeaderMutation } from '../generated/envoy/extensions/filters/http/header_mutation/v3/HeaderMutation';
import type { HeaderMutationPerRoute } from '../generated/envoy/extensions/filters/http/header_mutation/v3/HeaderMutationPerRoute';
import type { HTTPFault } from '../generated/envoy/extensions/filters/http/fault/v3/HTTPFault';
import type { RBAC as RbacFilter } from '../generated/envoy/extensions/filters/http/rbac/v3/RBAC';
import type { RBACPerRoute } from '../generated/envoy/extensions/filters/http/rbac/v3/RBACPerRoute';
import type { ProxyProtocol } from '../generated/envoy/extensions/filters/listener/proxy_protocol/v3/ProxyProtocol';
import type { TlsInspector } from '../generated/envoy/extensions/filters/listener/tls_inspector/v3/TlsInspector';
import type { OriginalDst } from '../generated/envoy/extensions/filters/listener/original_dst/v3/OriginalDst';
import type { DownstreamTlsContext } from '../generated/envoy/extensions/transport_sockets/tls/v3/DownstreamTlsContext';
import type { UpstreamTlsContext } from '../generated/envoy/extensions/transport_sockets/tls/v3/UpstreamTlsContext';
import type { HttpProtocolOptions } from '../generated/envoy/extensions/upstreams/http/v3/HttpProtocolOptions';
import type { StdoutAccessLog } from '../generated/envoy/extensions/access_loggers/stream/v3/StdoutAccessLog';
import type { TcpProxy } from '../generated/envoy/extensions/filters/network/tcp_proxy/v3/TcpProxy';
import type { UdpProxyConfig } from '../generated/envoy/extensions/filters/udp/udp_proxy/v3/UdpProxyConfig';
import type { Route as UdpProxyRoute } from '../generated/envoy/extensions/filters/udp/udp_proxy/v3/Route';
import type { Bootstrap } from '../generated/envoy/config/bootstrap/v3/Bootstrap';
import type { RoundRobin } from '../generated/envoy/extensions/load_balancing_policies/round_robin/v3/RoundRobin';
import type { LeastRequest } from '../generated/envoy/extensions/load_balancing_policies/least_request/v3/LeastRequest';
import type { Random } from '../generated/envoy/extensions/load_balancing_policies/random/v3/Random';
import type { RingHash } from '../generated/envoy/extensions/load_balancing_policies/ring_hash/v3/RingHash';
import type { Maglev } from '../generated/envoy/extensions/load_balancing_policies/maglev/v3/Maglev';
import type { WrrLocality } from '../generated/envoy/extensions/load_balancing_policies/wrr_locality/v3/WrrLocality';
import type { FixedHeapConfig } from '../generated/envoy/extensions/resource_monitors/fixed_heap/v3/FixedHeapConfig';
import type { DownstreamConnectionsConfig } from '../generated/envoy/extensions/resource_monitors/downstream_connections/v3/DownstreamConnectionsConfig';

export interface EnvoyTypes {
  'envoy.config.cluster.v3.Cluster': Cluster;
  'envoy.config.endpoint.v3.ClusterLoadAssignment': ClusterLoadAssignment;
  'envoy.config.listener.v3.Listener': Listener;
  'envoy.config.route.v3.RouteConfiguration': RouteConfiguration;
  'envoy.extensions.transport_sockets.tls.v3.Secret': Secret;
  'envoy.config.route.v3.FilterConfig': FilterConfig;
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager': HttpConnectionManager;
  'envoy.extensions.filters.http.router.v3.Router': Router;
  'envoy.extensions.filters.http.grpc_web.v3.GrpcWeb': GrpcWeb;
  'envoy.extensions.filters.http.cors.v3.Cors': Cors;
  'envoy.extensions.filters.http.cors.v3.CorsPolicy': CorsPolicy;
  'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit': LocalRateLimit;
  'envoy.extensions.filters.http.basic_auth.v3.BasicAuth': BasicAuth;
  'envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute': BasicAuthPerRoute;
  'envoy.extensions.filters.http.ext_authz.v3.ExtAuthz': ExtAuthz;
  'envoy.extensions.filters.http.header_mutation.v3.HeaderMutation': HeaderMutation;
  'envoy.extensions.filters.http.header_mutation.v3.HeaderMutationPerRoute': HeaderMutationPerRoute;
  'envoy.extensions.filters.http.fault.v3.HTTPFault': HTTPFault;
  'envoy.extensions.filters.http.rbac.v3.RBAC': RbacFilter;
  'envoy.extensions.filters.http.rbac.v3.RBACPerRoute': RBACPerRoute;
  'envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol': ProxyProtocol;
  'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector': TlsInspector;
  'envoy.extensions.filters.listener.original_dst.v3.OriginalDst': OriginalDst;
  'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext': DownstreamTlsContext;
  'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext': UpstreamTlsContext;
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': HttpProtocolOptions;
  'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog': StdoutAccessLog;
  'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy': TcpProxy;
  'envoy.extensions.filters.udp.udp_proxy.v3.UdpProxyConfig': UdpProxyConfig;
  'envoy.extensions.filters.udp.udp_proxy.v3.Route': UdpProxyRoute;
  'envoy.config.bootstrap.v3.Bootstrap': Bootstrap;
  'envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin': RoundRobin;
  'envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest': LeastRequest;
  'envoy.extensions.load_balancing_policies.random.v3.Random': Random;
  'envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash': RingHash;
  'envoy.extensions.load_balancing_policies.maglev.v3.Maglev': Maglev;
  'envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality': WrrLocality;
  'envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig': FixedHeapConfig;
  'envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig': DownstreamConnectionsConfig;
}

export type EnvoyTypeName = keyof EnvoyTypes;

export type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret, Bootstrap };

/** The xDS resource types kxds serves, by type URL. */
export const TYPE_URLS = {
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  secret: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
} as const;

export type ResourceKind = keyof typeof TYPE_URLS;
export type TypeUrl = (typeof TYPE_URLS)[ResourceKind];

/** The order a multi-type change goes out in: make before break (CDS -> EDS -> LDS -> RDS, SDS first). */
export const PUSH_ORDER: readonly ResourceKind[] = ['secret', 'cluster', 'endpoint', 'listener', 'route'];

export const KIND_BY_TYPE_URL: ReadonlyMap<string, ResourceKind> = new Map(
  (Object.entries(TYPE_URLS) as [ResourceKind, string][]).map(([kind, url]) => [url, kind]),
);

/** The resource types whose SotW responses are full state (a missing name means deleted). */
export const FULL_STATE_KINDS: ReadonlySet<ResourceKind> = new Set(['listener', 'cluster']);

export const MESSAGE_NAME: Readonly<Record<ResourceKind, EnvoyTypeName>> = {
  listener: 'envoy.config.listener.v3.Listener',
  route: 'envoy.config.route.v3.RouteConfiguration',
  cluster: 'envoy.config.cluster.v3.Cluster',
  endpoint: 'envoy.config.endpoint.v3.ClusterLoadAssignment',
  secret: 'envoy.extensions.transport_sockets.tls.v3.Secret',
};

/** The typed resources of one node group, by kind and name: what translation produces for a snapshot. */
export type ResourceSet = { [K in ResourceKind]: Map<string, EnvoyTypes[(typeof MESSAGE_NAME)[K]]> };

export function emptyResourceSet(): ResourceSet {
  return {
    listener: new Map(),
    route: new Map(),
    cluster: new Map(),
    endpoint: new Map(),
    secret: new Map(),
  };
}
