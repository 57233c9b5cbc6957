// kxds.io/retry-on, kxds.io/num-retries, kxds.io/per-try-timeout and kxds.io/retry-backoff -> an IR retry
// policy, for every object that takes them (Ingresses at the edge, mesh routes). Each object kind says what
// retries without a listed condition retry on. Unknown conditions are reported and left out.
import type { IrRetry } from '../ir/http';
import { parseDurationMs, type AnnotationReader } from './annotations';

const HTTP_RETRY_ON = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'http3-post-connect-failure',
];
/** The conditions gRPC clients retry on (gRFC A44): gRPC status codes. */
export const GRPC_RETRY_ON: readonly string[] = [
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];
const RETRY_ON = new Set([...HTTP_RETRY_ON, ...GRPC_RETRY_ON]);

export function retryAnnotations(r: AnnotationReader, defaultOn: readonly string[]): IrRetry | undefined {
  const found = r.raw('retry-on');
  const numRetries = r.int('num-retries', { min: 0, max: 100 });
  const perTryTimeoutMs = r.durationMs('per-try-timeout');
  const backoff = retryBackoff(r);
  let on: string[] = [];
  if (found) {
    const items = found.value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== '');
    const unknown = items.filter((s) => !RETRY_ON.has(s));
    if (unknown.length > 0) {
      r.warn(
        found,
        `unknown retry condition(s) ${unknown.join(', ')} left out (known: ${[...RETRY_ON].join(', ')})`,
      );
    }
    on = [...new Set(items.filter((s) => RETRY_ON.has(s)))];
  }
  if (on.length === 0 && numRetries === undefined && perTryTimeoutMs === undefined && !backoff)
    return undefined;
  // Retries without a condition would never fire: the object kind's default.
  if (on.length === 0) on = [...defaultOn];
  return {
    on,
    ...(numRetries !== undefined ? { numRetries } : {}),
    ...(perTryTimeoutMs !== undefined ? { perTryTimeoutMs } : {}),
    ...(backoff ? { backoff } : {}),
  };
}

/** "BASE" or "BASE,MAX" (durations above zero, MAX not below BASE). */
function retryBackoff(r: AnnotationReader): IrRetry['backoff'] {
  const found = r.raw('retry-backoff');
  if (!found) return undefined;
  const [base, max, extra] = found.value.split(',').map((s) => s.trim());
  const baseMs = base ? parseDurationMs(base, false) : undefined;
  const maxMs = max !== undefined ? parseDurationMs(max, false) : undefined;
  if (
    extra !== undefined ||
    baseMs === undefined ||
    baseMs <= 0 ||
    (max !== undefined && (maxMs ?? 0) < baseMs)
  ) {
    r.warn(
      found,
      'expected "BASE" or "BASE,MAX" durations above zero (e.g. "25ms,250ms"), MAX not below BASE; no backoff',
    );
    return undefined;
  }
  return { baseMs, ...(maxMs !== undefined ? { maxMs } : {}) };
}
