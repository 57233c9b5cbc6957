// Service annotations that shape a Service's clusters for every data plane: what to hash on, circuit
// breakers, active health checks, outlier detection and the connect timeout. Each reader returns undefined when nothing (valid) is annotated.
import type { Service } from '../model/k8s';
import { AnnotationReader } from './annotations';
import type { IrCircuitBreakers, IrHashOn, IrHealthCheck, IrOutlierDetection } from '../ir/clusters';
import type { Statuses } from './findings';

const COUNT = { min: 1, max: 4_294_967_295 };
const HEADER_NAME = /^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$/;

/** `kxds.io/hash-on`: header:NAME, cookie:NAME or source-ip; `sessionAffinity: ClientIP` means source-ip. */
export function hashOn(service: Service, warnings: Statuses): IrHashOn[] | undefined {
  const reader = new AnnotationReader(service, warnings);
  const found = reader.raw('hash-on');
  if (found) {
    const parsed = parseHashOn(found.value);
    if (parsed) return [parsed];
    reader.warn(found, 'expected header:NAME, cookie:NAME or source-ip; ignored');
  }
  if (service.spec.sessionAffinity === 'ClientIP') return [{ kind: 'source-ip' }];
  return undefined;
}

function parseHashOn(value: string): IrHashOn | undefined {
  if (value.toLowerCase() === 'source-ip') return { kind: 'source-ip' };
  const colon = value.indexOf(':');
  if (colon < 0) return undefined;
  const kind = value.slice(0, colon).toLowerCase();
  const name = value.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name)) return undefined;
  if (kind === 'header') return { kind: 'header', name: name.toLowerCase() };
  if (kind === 'cookie') return { kind: 'cookie', name };
  return undefined;
}

export function circuitBreakers(service: Service, warnings: Statuses): IrCircuitBreakers | undefined {
  const reader = new AnnotationReader(service, warnings);
  const limits: IrCircuitBreakers = {
    maxConnections: reader.int('max-connections', COUNT),
    maxPendingRequests: reader.int('max-pending-requests', COUNT),
    maxRequests: reader.int('max-requests', COUNT),
    maxRetries: reader.int('max-retries', { min: 0, max: COUNT.max }),
  };
  return Object.values(limits).some((v) => v !== undefined) ? limits : undefined;
}

/**
 * `kxds.io/health-check-path: /healthz` (HTTP GET, 200 expected) or `kxds.io/health-check: grpc` (the
 * grpc.health.v1 service, `kxds.io/health-check-service` names the service), tuned by health-check-interval,
 * -timeout, -unhealthy-threshold and -healthy-threshold.
 */
export function healthCheck(service: Service, warnings: Statuses): IrHealthCheck | undefined {
  const reader = new AnnotationReader(service, warnings);
  const path = reader.string('health-check-path');
  const mode = reader.oneOf('health-check', ['http', 'grpc'] as const);
  if (path === undefined && mode === undefined) return undefined;
  const timing = {
    intervalMs: reader.positiveDurationMs('health-check-interval') ?? 10_000,
    timeoutMs: reader.positiveDurationMs('health-check-timeout') ?? 2_000,
    unhealthyThreshold: reader.int('health-check-unhealthy-threshold', { min: 1, max: 1000 }) ?? 3,
    healthyThreshold: reader.int('health-check-healthy-threshold', { min: 1, max: 1000 }) ?? 1,
  };
  if (mode === 'grpc') {
    return { kind: 'grpc', serviceName: reader.string('health-check-service') ?? '', ...timing };
  }
  if (path !== undefined && !path.startsWith('/')) {
    const found = reader.raw('health-check-path');
    if (found) reader.warn(found, 'the path must start with "/"; no health check');
    return undefined;
  }
  return { kind: 'http', path: path ?? '/', ...timing };
}

export function outlierDetection(service: Service, warnings: Statuses): IrOutlierDetection | undefined {
  const reader = new AnnotationReader(service, warnings);
  const settings: IrOutlierDetection = {
    consecutive5xx: reader.int('outlier-consecutive-5xx', COUNT),
    consecutiveGatewayFailure: reader.int('outlier-consecutive-gateway-failure', COUNT),
    intervalMs: reader.positiveDurationMs('outlier-interval'),
    baseEjectionTimeMs: reader.positiveDurationMs('outlier-base-ejection-time'),
    maxEjectionPercent: reader.int('outlier-max-ejection-percent', { min: 0, max: 100 }),
    failurePercentageThreshold: reader.int('outlier-failure-percentage', { min: 0, max: 100 }),
    failurePercentageMinimumHosts: reader.int('outlier-failure-percentage-min-hosts', COUNT),
    failurePercentageRequestVolume: reader.int('outlier-failure-percentage-request-volume', COUNT),
  };
  return Object.values(settings).some((v) => v !== undefined) ? settings : undefined;
}

/** `kxds.io/connect-timeout`: how long a connection to an endpoint may take (default: the serve flag). */
export function connectTimeoutMs(service: Service, warnings: Statuses): number | undefined {
  return new AnnotationReader(service, warnings).positiveDurationMs('connect-timeout');
}
