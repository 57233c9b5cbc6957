// IR cluster -> envoy.config.cluster.v3.Cluster: EDS over ADS (or DNS for ExternalName Services), the
// balancer (an LB policy plug-in, see lb-policies/), the upstream HTTP version, TLS to the upstream, and
// the resilience settings (circuit breakers, active health checks, outlier detection). Imports only the IR
// and xDS types: the IR was already shaped for the receiving data plane's dialect.
import type { Cluster } from '../xds/types';
import type { HealthCheck } from '../generated/envoy/config/core/v3/HealthCheck';
import type { IrCluster, IrHealthCheck, IrUpstreamTls } from '../ir/clusters';
import type { CertificateValidationContext } from '../generated/envoy/extensions/transport_sockets/tls/v3/CertificateValidationContext';
import { lbPolicyPlugin } from './lb-policies';
import { pack } from '../xds/encode';
import { adsConfigSource, durationMs } from './common';

export interface ClusterOptions {
  /** For a proxyless gRPC client: no HTTP protocol options or upstream TLS (its dialect shaped the rest). */
  proxyless?: boolean;
}

export function buildCluster(ir: IrCluster, options: ClusterOptions = {}): Cluster {
  const cluster: Cluster = {
    name: ir.name,
    connect_timeout: durationMs(ir.connectTimeoutMs),
  };
  lbPolicyPlugin(ir.lbPolicy).apply(cluster, ir);
  if (ir.discovery?.kind === 'dns') {
    cluster.type = 'STRICT_DNS';
    cluster.dns_lookup_family = 'V4_PREFERRED';
    cluster.load_assignment = {
      cluster_name: ir.name,
      endpoints: [
        {
          lb_endpoints: [
            {
              endpoint: {
                address: { socket_address: { address: ir.discovery.host, port_value: ir.discovery.port } },
              },
            },
          ],
        },
      ],
    };
  } else {
    cluster.type = 'EDS';
    cluster.eds_cluster_config = { eds_config: adsConfigSource(), service_name: ir.name };
  }
  // Proxyless gRPC clients get no HTTP protocol options or upstream TLS (their dialect holds those back);
  // everything else they may receive has already been shaped into the IR (see dialects/hold-back.ts).
  if (!options.proxyless && ir.protocol !== 'tcp') addUpstreamTransport(cluster, ir);
  if (ir.circuitBreakers) {
    const cb = ir.circuitBreakers;
    const value = (n: number | undefined) => (n !== undefined ? { value: n } : undefined);
    cluster.circuit_breakers = {
      thresholds: [
        {
          priority: 'DEFAULT',
          max_connections: value(cb.maxConnections),
          max_pending_requests: value(cb.maxPendingRequests),
          max_requests: value(cb.maxRequests),
          max_retries: value(cb.maxRetries),
        },
      ],
    };
  }
  if (ir.healthCheck) cluster.health_checks = [healthCheck(ir.healthCheck, isHttp2(ir))];
  if (ir.outlierDetection) {
    const o = ir.outlierDetection;
    cluster.outlier_detection = {
      ...(o.consecutive5xx !== undefined ? { consecutive_5xx: { value: o.consecutive5xx } } : {}),
      ...(o.consecutiveGatewayFailure !== undefined
        ? {
            consecutive_gateway_failure: { value: o.consecutiveGatewayFailure },
            enforcing_consecutive_gateway_failure: { value: 100 },
          }
        : {}),
      ...(o.intervalMs !== undefined ? { interval: durationMs(o.intervalMs) } : {}),
      ...(o.baseEjectionTimeMs !== undefined ? { base_ejection_time: durationMs(o.baseEjectionTimeMs) } : {}),
      ...(o.maxEjectionPercent !== undefined
        ? { max_ejection_percent: { value: o.maxEjectionPercent } }
        : {}),
      ...(o.failurePercentageThreshold !== undefined
        ? {
            failure_percentage_threshold: { value: o.failurePercentageThreshold },
            enforcing_failure_percentage: { value: 100 },
          }
        : {}),
      ...(o.enforcingSuccessRate !== undefined
        ? { enforcing_success_rate: { value: o.enforcingSuccessRate } }
        : {}),
      ...(o.failurePercentageMinimumHosts !== undefined
        ? { failure_percentage_minimum_hosts: { value: o.failurePercentageMinimumHosts } }
        : {}),
      ...(o.failurePercentageRequestVolume !== undefined
        ? { failure_percentage_request_volume: { value: o.failurePercentageRequestVolume } }
        : {}),
    };
  }
  return cluster;
}

const isHttp2 = (ir: IrCluster): boolean => ir.protocol === 'http2' || ir.protocol === 'tls-http2';

function addUpstreamTransport(cluster: Cluster, ir: IrCluster): void {
  const http2 = isHttp2(ir);
  const tls = ir.protocol === 'tls-http1' || ir.protocol === 'tls-http2';
  cluster.typed_extension_protocol_options = {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': pack(
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      {
        explicit_http_config: http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
      },
    ),
  };
  if (tls) {
    cluster.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: pack('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
        ...(ir.tlsSni ? { sni: ir.tlsSni } : {}),
        common_tls_context: {
          alpn_protocols: http2 ? ['h2'] : ['http/1.1'],
          ...(ir.upstreamTls ? { validation_context: validationContext(ir.upstreamTls) } : {}),
        },
      }),
    };
  }
}

/**
 * The CA bundle of the Envoy images (Debian/Ubuntu ca-certificates): what "the system trust store" means
 * for an Envoy. Envoy's own system_root_certs field is not implemented in the API version kxds speaks.
 */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function validationContext(tls: IrUpstreamTls): CertificateValidationContext {
  return {
    trusted_ca: tls.trust.kind === 'pem' ? { inline_string: tls.trust.pem } : { filename: SYSTEM_CA_BUNDLE },
    match_typed_subject_alt_names: tls.subjectAltNames.map((san) => ({
      san_type: san.kind === 'dns' ? 'DNS' : 'URI',
      matcher: { exact: san.value },
    })),
  };
}

function healthCheck(ir: IrHealthCheck, http2: boolean): HealthCheck {
  const common: HealthCheck = {
    timeout: durationMs(ir.timeoutMs),
    interval: durationMs(ir.intervalMs),
    unhealthy_threshold: { value: ir.unhealthyThreshold },
    healthy_threshold: { value: ir.healthyThreshold },
  };
  if (ir.kind === 'grpc') {
    return { ...common, grpc_health_check: ir.serviceName ? { service_name: ir.serviceName } : {} };
  }
  return { ...common, http_health_check: { path: ir.path, codec_client_type: http2 ? 'HTTP2' : 'HTTP1' } };
}
