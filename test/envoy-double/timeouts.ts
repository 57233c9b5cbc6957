// How long Envoy's router waits for a response: RouteAction.timeout (15 s when unset, 0 = none), replaced
// for gRPC requests by their grpc-timeout header when max_stream_duration.grpc_timeout_header_max is set
// (capped by it unless it is 0).
import type { RouteAction } from '../../src/generated/envoy/config/route/v3/RouteAction';
import type { Duration } from '../../src/generated/google/protobuf/Duration';
import type { RequestHeaders } from './string-match';

const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

export function durationToMs(duration: Duration | null | undefined): number | undefined {
  if (!duration) return undefined;
  return Number(duration.seconds ?? 0) * 1000 + Math.floor(Number(duration.nanos ?? 0) / 1e6);
}

const GRPC_TIMEOUT_UNITS: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 1e-3,
  n: 1e-6,
};

/** A grpc-timeout header ("100m", "5S") in milliseconds, or undefined when absent or malformed. */
export function grpcTimeoutMs(value: string | undefined): number | undefined {
  const match = value ? /^(\d{1,8})([HMSmun])$/.exec(value) : null;
  if (!match) return undefined;
  return Number(match[1]) * (GRPC_TIMEOUT_UNITS[match[2] ?? 'S'] ?? 1000);
}

/** The route's timeout in ms for this request; undefined means none. */
export function routeTimeoutMs(action: RouteAction, headers: RequestHeaders): number | undefined {
  const configured = durationToMs(action.timeout) ?? DEFAULT_ROUTE_TIMEOUT_MS;
  let timeout: number | undefined = configured === 0 ? undefined : configured;
  const max = durationToMs(action.max_stream_duration?.grpc_timeout_header_max);
  const fromHeader = grpcTimeoutMs(headers.get('grpc-timeout')?.[0]);
  if (max !== undefined && fromHeader !== undefined)
    timeout = max === 0 ? fromHeader : Math.min(fromHeader, max);
  return timeout;
}
