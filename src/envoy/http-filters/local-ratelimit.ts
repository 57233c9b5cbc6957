// HTTP filter plug-in: the local rate limit. The chain's copy has no bucket (it limits nothing); a route
// asking for a limit gets its own token bucket, always enabled and enforced.
import type { LocalRateLimit } from '../../generated/envoy/extensions/filters/http/local_ratelimit/v3/LocalRateLimit';
import type { IrRateLimit } from '../../ir/http-filters';
import { pack } from '../../xds/encode';
import { durationMs } from '../common';
import type { HttpFilterPlugin } from './http-filter';

const STAT_PREFIX = 'edge_local_rate_limit';

export function localRateLimit(limit: IrRateLimit): LocalRateLimit {
  const always = { runtime_key: STAT_PREFIX, default_value: { numerator: 100, denominator: 'HUNDRED' as const } };
  return {
    stat_prefix: STAT_PREFIX,
    token_bucket: {
      max_tokens: limit.burst,
      tokens_per_fill: { value: limit.requestsPerSecond },
      fill_interval: durationMs(1000),
    },
    filter_enabled: always,
    filter_enforced: always,
  };
}

export const localRateLimitFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.local_ratelimit',
  hcmFilters: () => [{
    name: localRateLimitFilter.name,
    typed_config: pack('envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', {
      stat_prefix: STAT_PREFIX,
    }),
  }],
  perRoute: (settings) =>
    settings.rateLimit
      ? pack('envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', localRateLimit(settings.rateLimit))
      : undefined,
};
