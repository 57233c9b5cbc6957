// HTTP filter plug-in: request header removal before forward auth (Envoy's header_mutation). The chain's
// copy, present only when a route needs it, has no mutations (it changes nothing); a route with auth-response-headers removes those headers from
// the client's request before ext_authz runs, so the backend sees them only when the auth service's 200
// sets them, never a value the client wrote (ingress-nginx clears them the same way). A route's own
// request_headers_to_remove would not do: the router applies it after ext_authz, removing the auth
// service's values too.
import { pack } from '../../xds/encode';
import type { HttpFilterPlugin } from './http-filter';

export const headerMutationFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.header_mutation',
  // Only in chains with a route that needs it: the others stay as they were.
  hcmFilters: (routes) =>
    routes.some((r) => (r.forwardAuth?.responseHeaders.length ?? 0) > 0)
      ? [
          {
            name: headerMutationFilter.name,
            typed_config: pack('envoy.extensions.filters.http.header_mutation.v3.HeaderMutation', {}),
          },
        ]
      : [],
  perRoute: (settings) =>
    settings.forwardAuth && settings.forwardAuth.responseHeaders.length > 0
      ? pack('envoy.extensions.filters.http.header_mutation.v3.HeaderMutationPerRoute', {
          mutations: { request_mutations: settings.forwardAuth.responseHeaders.map((remove) => ({ remove })) },
        })
      : undefined,
};
