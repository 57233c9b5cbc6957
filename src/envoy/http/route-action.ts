// An IR "forward" route -> envoy.config.route.v3.RouteAction: clusters (one, or weighted with their own header
// changes), timeouts, retries, rewrites, hashing, mirrors and upgrades.
import type { RouteAction } from '../../generated/envoy/config/route/v3/RouteAction';
import type { IrMirror, IrRetry, IrRoute, IrRouteAction } from '../../ir/http';
import { durationMs } from '../common';
import { hashPolicy } from '../route-hash';
import { headerFields } from './header-modifiers';

type Forward = Extract<IrRouteAction, { kind: 'forward' }>;

const NOT_FOUND_CODES = {
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
  404: 'NOT_FOUND',
} as const;

export function forwardAction(route: IrRoute, action: Forward, prefixRewrite: string | undefined): RouteAction {
  const p = route.policies;
  const out: RouteAction = {};
  const [only] = action.clusters;
  const perCluster = action.clusters.some((c) => c.requestHeaders || c.responseHeaders);
  if (action.clusters.length === 1 && only && !perCluster) out.cluster = only.cluster;
  else {
    out.weighted_clusters = {
      clusters: action.clusters.map((c) => ({
        name: c.cluster,
        weight: { value: c.weight },
        ...headerFields(c.requestHeaders, c.responseHeaders),
      })),
    };
  }
  if (action.missingClusterStatus !== undefined)
    out.cluster_not_found_response_code = NOT_FOUND_CODES[action.missingClusterStatus];
  if (p.timeoutMs !== undefined) out.timeout = durationMs(p.timeoutMs);
  if (action.http2) {
    // gRPC clients send their deadline in grpc-timeout; let Envoy honour it (0 = no cap).
    out.max_stream_duration = { grpc_timeout_header_max: durationMs(0) };
  }
  if (p.idleTimeoutMs !== undefined) out.idle_timeout = durationMs(p.idleTimeoutMs);
  if (p.retry) {
    out.retry_policy = {
      retry_on: p.retry.on.join(','),
      ...(p.retry.numRetries !== undefined ? { num_retries: { value: p.retry.numRetries } } : {}),
      ...(p.retry.perTryTimeoutMs !== undefined ? { per_try_timeout: durationMs(p.retry.perTryTimeoutMs) } : {}),
      ...(p.retry.backoff ? { retry_back_off: retryBackOff(p.retry.backoff) } : {}),
    };
  }
  if (prefixRewrite !== undefined) out.prefix_rewrite = prefixRewrite;
  else if (p.rewrite?.kind === 'regex')
    out.regex_rewrite = { pattern: { regex: p.rewrite.pattern }, substitution: p.rewrite.substitution };
  else if (p.rewrite?.kind === 'full')
    // The whole path (query string excluded: Envoy's regex_rewrite leaves it alone) becomes the value.
    out.regex_rewrite = { pattern: { regex: '^/.*$' }, substitution: p.rewrite.value };
  if (p.hostRewrite !== undefined) out.host_rewrite_literal = p.hostRewrite;
  else if (action.autoHostRewrite) out.auto_host_rewrite = { value: true };
  if (action.hashOn.length > 0) out.hash_policy = action.hashOn.map(hashPolicy);
  if (p.websockets) out.upgrade_configs = [{ upgrade_type: 'websocket', enabled: { value: true } }];
  if (p.mirrors && p.mirrors.length > 0) out.request_mirror_policies = p.mirrors.map(mirrorPolicy);
  return out;
}

/** Exponential backoff between retries; Envoy and gRFC A44 alike default the cap to 10 x the base. */
export function retryBackOff(backoff: NonNullable<IrRetry['backoff']>) {
  return {
    base_interval: durationMs(backoff.baseMs),
    ...(backoff.maxMs !== undefined ? { max_interval: durationMs(backoff.maxMs) } : {}),
  };
}

function mirrorPolicy(mirror: IrMirror): NonNullable<RouteAction['request_mirror_policies']>[number] {
  if (!mirror.fraction) return { cluster: mirror.cluster };
  const { numerator, denominator } = mirror.fraction;
  // Envoy's fractions have fixed denominators; a million keeps Gateway's arbitrary ones to 6 digits.
  const perMillion = denominator > 0 ? Math.round((numerator * 1_000_000) / denominator) : 0;
  return {
    cluster: mirror.cluster,
    runtime_fraction: { default_value: { numerator: Math.min(perMillion, 1_000_000), denominator: 'MILLION' } },
  };
}
