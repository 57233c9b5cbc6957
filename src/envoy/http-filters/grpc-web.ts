// HTTP filter plug-in: gRPC-Web. Disabled in the chain; an empty FilterConfig switches it on for a route.
import { pack } from '../../xds/encode';
import type { HttpFilterPlugin } from './http-filter';

export const grpcWebFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.grpc_web',
  hcmFilters: () => [{
    name: grpcWebFilter.name,
    typed_config: pack('envoy.extensions.filters.http.grpc_web.v3.GrpcWeb', {}),
    disabled: true,
  }],
  perRoute: (settings) => (settings.grpcWeb ? pack('envoy.config.route.v3.FilterConfig', {}) : undefined),
};
