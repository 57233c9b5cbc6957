// HTTP filter plug-in: basic authentication (Envoy's basic_auth). Disabled in the chain (a chain copy
// without users would refuse every request); a route with users switches it on with its own htpasswd, so a
// request without valid credentials gets Envoy's 401. After CORS and the rate limit, as ingress-nginx runs
// auth after both: preflights carry no credentials, and guessing passwords is rate limited. The users are key
// material: CSDS and the debug pages redact them (src/xds/key-material.ts).
import { pack } from '../../xds/encode';
import type { HttpFilterPlugin } from './http-filter';

export const basicAuthFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.basic_auth',
  hcmFilters: () => [{
    name: basicAuthFilter.name,
    typed_config: pack('envoy.extensions.filters.http.basic_auth.v3.BasicAuth', {}),
    disabled: true,
  }],
  perRoute: (settings) =>
    settings.basicAuth
      ? pack('envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute', {
          users: { inline_string: settings.basicAuth.htpasswd },
        })
      : undefined,
};
