// HTTP filter plug-in: CORS. In the chain it does nothing until a route carries a CorsPolicy; first in the
// chain, so preflights are answered before anything (the rate limit) counts them.
import type { CorsPolicy } from '../../generated/envoy/extensions/filters/http/cors/v3/CorsPolicy';
import type { StringMatcher } from '../../generated/envoy/type/matcher/v3/StringMatcher';
import { corsOriginRegex, type IrCors } from '../../ir/http-filters';
import { pack } from '../../xds/encode';
import type { HttpFilterPlugin } from './http-filter';

function originMatcher(origin: string, wildcard: IrCors['originWildcard']): StringMatcher {
  const regex = corsOriginRegex(origin, wildcard);
  return regex === undefined ? { exact: origin } : { safe_regex: { regex } };
}

export function corsPolicy(cors: IrCors): CorsPolicy {
  return {
    allow_origin_string_match: cors.allowOrigins.map((origin) => originMatcher(origin, cors.originWildcard)),
    allow_methods: cors.allowMethods,
    allow_headers: cors.allowHeaders,
    expose_headers: cors.exposeHeaders,
    max_age: String(cors.maxAgeSeconds),
    ...(cors.allowCredentials ? { allow_credentials: { value: true } } : {}),
  };
}

export const corsFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.cors',
  hcmFilters: () => [{
    name: corsFilter.name,
    typed_config: pack('envoy.extensions.filters.http.cors.v3.Cors', {}),
  }],
  perRoute: (settings) =>
    settings.cors
      ? pack('envoy.extensions.filters.http.cors.v3.CorsPolicy', corsPolicy(settings.cors))
      : undefined,
};
