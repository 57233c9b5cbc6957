// kxds.io/ annotations on a mesh route -> the retry and fault-injection policies of each of its rules. The
// standard channel of Gateway API v1.6 has no field for either (HTTPRoute `retry` is experimental, GRPCRoute
// has none), so a route says it with annotations: retries (gRFC A44 for gRPC clients: gRPC status codes,
// attempts, backoff) and faults (A33: a delay and an abort, each for a percentage of calls). A value that
// doesn't parse is reported on the route and left out; the rest of the route is served.
import type { GatewayApiObject } from '../../model/gateway-api';
import type { IrRoutePolicies } from '../../ir/http';
import type { IrFault } from '../../ir/http-filters';
import { AnnotationReader, type AnnotationValue } from '../../translate/annotations';
import { checkAnnotations } from '../../translate/annotation-check';
import type { Statuses } from '../../translate/findings';
import { retryAnnotations } from '../../translate/retry-annotations';

type MeshRoute = GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>;

/** gRPC status names by code (the abort may name either). */
const GRPC_CODES = [
  'ok',
  'cancelled',
  'unknown',
  'invalid-argument',
  'deadline-exceeded',
  'not-found',
  'already-exists',
  'permission-denied',
  'resource-exhausted',
  'failed-precondition',
  'aborted',
  'out-of-range',
  'unimplemented',
  'internal',
  'unavailable',
  'data-loss',
  'unauthenticated',
];

export function meshRoutePolicies(
  route: MeshRoute,
  warnings: Statuses,
): Pick<IrRoutePolicies, 'retry' | 'fault'> {
  checkAnnotations(route, route.kind, warnings);
  const r = new AnnotationReader(route, warnings);
  // gRPC's retryable code; a route for plain HTTP names its own conditions.
  const retry = retryAnnotations(r, ['unavailable']);
  const fault = faultAnnotations(r);
  return { ...(retry ? { retry } : {}), ...(fault ? { fault } : {}) };
}

function faultAnnotations(r: AnnotationReader): IrFault | undefined {
  const fixedMs = r.positiveDurationMs('fault-delay');
  const delayPercent = percent(r, 'fault-delay-percent');
  const abortFound = r.raw('fault-abort');
  const abort = abortFound ? abortStatus(r, abortFound) : undefined;
  const abortPercent = percent(r, 'fault-abort-percent');
  // A percentage that doesn't parse drops its fault: a typo must not make every call fail.
  const fault: IrFault = {
    ...(fixedMs !== undefined && delayPercent !== 'invalid'
      ? { delay: { fixedMs, percent: delayPercent ?? 100 } }
      : {}),
    ...(abort && abortPercent !== 'invalid' ? { abort: { ...abort, percent: abortPercent ?? 100 } } : {}),
  };
  return fault.delay || fault.abort ? fault : undefined;
}

/** A gRPC status (a name such as "unavailable", or its code 1-16) or an HTTP status (200-599). */
function abortStatus(
  r: AnnotationReader,
  found: AnnotationValue,
): { grpcStatus: number } | { httpStatus: number } | undefined {
  const v = found.value.toLowerCase().replace(/_/g, '-');
  const named = GRPC_CODES.indexOf(v);
  if (named > 0) return { grpcStatus: named };
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n >= 1 && n <= 16) return { grpcStatus: n };
    if (n >= 200 && n <= 599) return { httpStatus: n };
  }
  r.warn(found, 'expected a gRPC status ("unavailable", or a code 1-16) or an HTTP status 200-599; no abort');
  return undefined;
}

/** 0-100, up to four decimals (Envoy's per-million fraction); absent: undefined (100 % is meant). */
function percent(r: AnnotationReader, name: string): number | 'invalid' | undefined {
  const found = r.raw(name);
  if (!found) return undefined;
  if (/^\d+(\.\d{1,4})?$/.test(found.value) && Number(found.value) <= 100) return Number(found.value);
  r.warn(found, 'expected a percentage from 0 to 100 (up to four decimals); that fault is left out');
  return 'invalid';
}
