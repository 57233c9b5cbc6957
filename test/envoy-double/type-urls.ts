// The type URLs the double recognises in typed_config Anys.
const url = (name: string): string => `type.googleapis.com/${name}`;

export const DOUBLE_TYPE_URLS = {
  hcm: url('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'),
  tcpProxy: url('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy'),
  tlsInspector: url('envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector'),
  downstreamTls: url('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'),
  upstreamTls: url('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'),
  httpProtocolOptions: url('envoy.extensions.upstreams.http.v3.HttpProtocolOptions'),
  router: url('envoy.extensions.filters.http.router.v3.Router'),
  cors: url('envoy.extensions.filters.http.cors.v3.Cors'),
  localRateLimit: url('envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit'),
  grpcWeb: url('envoy.extensions.filters.http.grpc_web.v3.GrpcWeb'),
  rbac: url('envoy.extensions.filters.http.rbac.v3.RBAC'),
  rbacPerRoute: url('envoy.extensions.filters.http.rbac.v3.RBACPerRoute'),
  basicAuth: url('envoy.extensions.filters.http.basic_auth.v3.BasicAuth'),
  basicAuthPerRoute: url('envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute'),
  extAuthz: url('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz'),
  headerMutation: url('envoy.extensions.filters.http.header_mutation.v3.HeaderMutation'),
  headerMutationPerRoute: url('envoy.extensions.filters.http.header_mutation.v3.HeaderMutationPerRoute'),
  filterConfig: url('envoy.config.route.v3.FilterConfig'),
  udpProxy: url('envoy.extensions.filters.udp.udp_proxy.v3.UdpProxyConfig'),
  udpRoute: url('envoy.extensions.filters.udp.udp_proxy.v3.Route'),
  proxyProtocol: url('envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol'),
  originalDst: url('envoy.extensions.filters.listener.original_dst.v3.OriginalDst'),
} as const;
