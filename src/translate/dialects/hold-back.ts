// Shapes a Service's full IR cluster for one dialect: what the dialect can't take is left out and recorded
// as a HeldBackPolicy, and what it can take in its own terms is translated (ClientIP affinity becomes a
// hash on the gRPC channel id for proxyless clients, who have no source IP to hash). Pure IR -> IR.
import type { HeldBackPolicy, IrCluster, IrHashOn, IrOutlierDetection } from '../../ir/clusters';
import type { Dialect } from './dialect';

export interface ShapedCluster {
  cluster: IrCluster;
  heldBack: HeldBackPolicy[];
}

export function shapeCluster(ir: IrCluster, dialect: Dialect): ShapedCluster {
  if (dialect.id === 'envoy') return { cluster: ir, heldBack: [] };
  const heldBack: HeldBackPolicy[] = [];
  const service = { namespace: ir.ref.namespace, name: ir.ref.service };
  const hold = (policy: string, reason: string) =>
    heldBack.push({ cluster: ir.name, service, policy, reason: `${reason} (${dialect.label})` });
  const out: IrCluster = { ...ir };

  const hashOn = (ir.hashOn ?? []).map((h): IrHashOn =>
    h.kind === 'source-ip' ? { kind: 'channel-id' } : h,
  );
  const kept = hashOn.filter((h) => dialect.hashOn.has(h.kind));
  for (const h of hashOn.filter((x) => !dialect.hashOn.has(x.kind)))
    hold(`hash-on ${h.kind}`, 'the client cannot hash on it; calls are not sticky');
  if (kept.length > 0) out.hashOn = kept;
  else delete out.hashOn;

  if (!dialect.lbPolicies.has(out.lbPolicy)) {
    hold(`lb-policy ${out.lbPolicy}`, 'the client does not support it; round-robin instead');
    out.lbPolicy = 'round-robin';
  }
  // A hashing balancer without a hash key is plain random; with one, the key needs the hashing balancer.
  if (out.lbPolicy !== 'ring-hash' && out.hashOn) {
    for (const h of out.hashOn) hold(`hash-on ${h.kind}`, 'needs ring-hash, which the client does not get');
    delete out.hashOn;
  }

  if (out.circuitBreakers && dialect.circuitBreakers !== 'all') {
    const { maxRequests, ...rest } = out.circuitBreakers;
    for (const [name, value] of Object.entries(rest))
      if (value !== undefined) hold(`circuit-breaker ${name}`, 'gRPC clients enforce only max-requests');
    if (dialect.circuitBreakers === 'max-requests' && maxRequests !== undefined)
      out.circuitBreakers = { maxRequests };
    else delete out.circuitBreakers;
  }

  if (out.healthCheck && !dialect.healthChecks) {
    hold('health-check', 'gRPC clients run no active health checks; endpoint readiness still applies');
    delete out.healthCheck;
  }

  if (out.outlierDetection) {
    const shaped = shapeOutliers(out.outlierDetection, dialect, hold);
    if (shaped) out.outlierDetection = shaped;
    else delete out.outlierDetection;
  }

  if (!dialect.upstreamTransport && (out.protocol === 'tls-http1' || out.protocol === 'tls-http2')) {
    hold('upstream-tls', 'the client gets no upstream TLS from kxds; it uses its own channel credentials');
  }
  return { cluster: out, heldBack };
}

function shapeOutliers(
  o: IrOutlierDetection,
  dialect: Dialect,
  hold: (policy: string, reason: string) => void,
): IrOutlierDetection | undefined {
  if (dialect.outlierDetection === 'none') {
    hold('outlier-detection', 'the client is not known to support it');
    return undefined;
  }
  const { consecutive5xx, consecutiveGatewayFailure, ...grpc } = o;
  if (consecutive5xx !== undefined)
    hold('outlier-detection consecutive-5xx', 'gRPC (A50) counts no consecutive errors');
  if (consecutiveGatewayFailure !== undefined)
    hold('outlier-detection consecutive-gateway-failure', 'gRPC (A50) counts no consecutive errors');
  // The counters were the only ejection rule asked for: without them nothing the user meant is left.
  const counted = consecutive5xx !== undefined || consecutiveGatewayFailure !== undefined;
  if (counted && grpc.failurePercentageThreshold === undefined) return undefined;
  // Success-rate ejection is on by default; grpc-js 1.14.1 fills its unset parameters with undefined
  // instead of the defaults and its ejection timer then throws on every tick, which also stops the
  // failure-percentage check. kxds has no success-rate settings, so it is switched off for gRPC clients.
  return { ...grpc, enforcingSuccessRate: 0 };
}
