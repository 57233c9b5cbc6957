// The HTTP filters of the edge's HttpConnectionManager and their per-route configurations. CORS and the
// local rate limit do nothing unless a route configures them; gRPC-Web is disabled unless a route enables it.
import type { HttpFilter } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import type { CorsPolicy } from '../../generated/envoy/extensions/filters/http/cors/v3/CorsPolicy';
import type { LocalRateLimit } from '../../generated/envoy/extensions/filters/http/local_ratelimit/v3/LocalRateLimit';
import type { StringMatcher } from '../../generated/envoy/type/matcher/v3/StringMatcher';
import { pack } from '../../xds/encode';
import { durationMs, routerFilter } from '../../envoy/common';
import type { IrCors, IrRateLimit } from '../edge/ir';

export const FILTER_CORS = 'envoy.filters.http.cors';
export const FILTER_GRPC_WEB = 'envoy.filters.http.grpc_web';
export const FILTER_LOCAL_RATELIMIT = 'envoy.filters.http.local_ratelimit';

/** CORS first (preflights are answered before anything counts them), then rate limit, gRPC-Web, router. */
export function edgeHttpFilters(): HttpFilter[] {
  return [
    { name: FILTER_CORS, typed_config: pack('envoy.extensions.filters.http.cors.v3.Cors', {}) },
    {
      name: FILTER_LOCAL_RATELIMIT,
      typed_config: pack('envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', {
        stat_prefix: 'edge_local_rate_limit',
      }),
    },
    {
      name: FILTER_GRPC_WEB,
      typed_config: pack('envoy.extensions.filters.http.grpc_web.v3.GrpcWeb', {}),
      disabled: true,
    },
    routerFilter(),
  ];
}

function originMatcher(origin: string): StringMatcher {
  if (origin === '*') return { safe_regex: { regex: '.*' } };
  if (origin.includes('*')) {
    // "https://*.example.com": one wildcard label, everything else literal.
    const escaped = origin.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]+');
    return { safe_regex: { regex: escaped } };
  }
  return { exact: origin };
}

export function corsPolicy(cors: IrCors): CorsPolicy {
  return {
    allow_origin_string_match: cors.allowOrigins.map(originMatcher),
    allow_methods: cors.allowMethods,
    allow_headers: cors.allowHeaders,
    expose_headers: cors.exposeHeaders,
    max_age: String(cors.maxAgeSeconds),
    ...(cors.allowCredentials ? { allow_credentials: { value: true } } : {}),
  };
}

export function localRateLimit(limit: IrRateLimit): LocalRateLimit {
  const always = {
    runtime_key: 'edge_local_rate_limit',
    default_value: { numerator: 100, denominator: 'HUNDRED' as const },
  };
  return {
    stat_prefix: 'edge_local_rate_limit',
    token_bucket: {
      max_tokens: limit.burst,
      tokens_per_fill: { value: limit.requestsPerSecond },
      fill_interval: durationMs(1000),
    },
    filter_enabled: always,
    filter_enforced: always,
  };
}
