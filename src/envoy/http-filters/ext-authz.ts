// HTTP filter plug-in: forward authentication (Envoy's ext_authz with an HTTP service). A filter has one
// service, so the chain gets one disabled ext_authz per distinct IrForwardAuth its routes use (named
// envoy.filters.http.ext_authz/CLUSTER/HASH), and a route switches its own one on. Fails closed: an auth
// service that is down, slow or answers 5xx gives 500 (ingress-nginx's answer), never a pass. The check
// request carries the client's headers (as ingress-nginx's auth subrequest does) plus the X-Original-*
// headers ingress-nginx adds; Envoy sends it with the client's method and the auth path followed by the
// client's path, and only a 200 lets the request through.
import { createHash } from 'node:crypto';
import type { HttpFilter } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import type { ExtAuthz } from '../../generated/envoy/extensions/filters/http/ext_authz/v3/ExtAuthz';
import type { IrForwardAuth, IrRouteFilterSettings } from '../../ir/http-filters';
import { pack } from '../../xds/encode';
import { durationMs } from '../common';
import type { HttpFilterPlugin } from './http-filter';

const EXT_AUTHZ = 'envoy.filters.http.ext_authz';

/** The chain's name for the filter serving this auth service (the route's per-filter key too). */
export function extAuthzFilterName(auth: IrForwardAuth): string {
  const canonical = JSON.stringify([
    auth.cluster,
    auth.uri,
    auth.pathPrefix,
    [...auth.responseHeaders].sort(),
    auth.requestRedirect ?? null,
    auth.timeoutMs,
  ]);
  return `${EXT_AUTHZ}/${auth.cluster}/${createHash('sha256').update(canonical).digest('hex').slice(0, 8)}`;
}

/** A literal inside a header value Envoy formats: "%" must be doubled. */
const literal = (value: string): string => value.replace(/%/g, '%%');

export function extAuthzConfig(auth: IrForwardAuth): ExtAuthz {
  const header = (key: string, value: string) => ({ key, value });
  return {
    http_service: {
      server_uri: { uri: auth.uri, cluster: auth.cluster, timeout: durationMs(auth.timeoutMs) },
      path_prefix: auth.pathPrefix,
      authorization_request: {
        headers_to_add: [
          header('x-original-url', '%REQ(:SCHEME)%://%REQ(:AUTHORITY)%%REQ(:PATH)%'),
          header('x-original-method', '%REQ(:METHOD)%'),
          header('x-real-ip', '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%'),
          header('x-auth-request-redirect', auth.requestRedirect !== undefined ? literal(auth.requestRedirect) : '%REQ(:PATH)%'),
          header('x-sent-from', 'kxds'),
        ],
      },
      ...(auth.responseHeaders.length > 0
        ? { authorization_response: { allowed_upstream_headers: { patterns: auth.responseHeaders.map((h) => ({ exact: h })) } } }
        : {}),
    },
    // Every client header goes to the auth service (cookies, tokens), as ingress-nginx's subrequest has them.
    allowed_headers: { patterns: [{ safe_regex: { regex: '.*' } }] },
    failure_mode_allow: false,
    status_on_error: { code: 'InternalServerError' },
  };
}

/** The distinct auth services of a listener's routes, each once, in name order (a stable chain). */
function distinctAuths(routes: readonly IrRouteFilterSettings[]): IrForwardAuth[] {
  const byName = new Map<string, IrForwardAuth>();
  for (const r of routes) if (r.forwardAuth) byName.set(extAuthzFilterName(r.forwardAuth), r.forwardAuth);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, auth]) => auth);
}

export const extAuthzFilter: HttpFilterPlugin = {
  name: EXT_AUTHZ,
  hcmFilters: (routes): HttpFilter[] =>
    distinctAuths(routes).map((auth) => ({
      name: extAuthzFilterName(auth),
      typed_config: pack('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz', extAuthzConfig(auth)),
      disabled: true,
    })),
  perRouteNamed: (settings) =>
    settings.forwardAuth
      ? [extAuthzFilterName(settings.forwardAuth), pack('envoy.config.route.v3.FilterConfig', {})]
      : undefined,
};
