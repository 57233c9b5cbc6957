// IR cluster -> envoy.config.cluster.v3.Cluster (EDS over ADS).
import type { Cluster } from '../../xds/types';
import type { IrCluster, LbPolicy } from '../ir';
import { pack } from '../../xds/encode';
import { adsConfigSource, durationMs } from './common';

const LB_POLICY: Readonly<Record<LbPolicy, Cluster['lb_policy']>> = {
  'round-robin': 'ROUND_ROBIN',
  'least-request': 'LEAST_REQUEST',
  random: 'RANDOM',
  'ring-hash': 'RING_HASH',
  maglev: 'MAGLEV',
};

export interface ClusterOptions {
  /** Proxyless gRPC clients understand fewer fields (no LEAST_REQUEST lb_policy, no protocol options). */
  proxyless?: boolean;
}

export function buildCluster(ir: IrCluster, options: ClusterOptions = {}): Cluster {
  const cluster: Cluster = {
    name: ir.name,
    type: 'EDS',
    eds_cluster_config: { eds_config: adsConfigSource(), service_name: ir.name },
    connect_timeout: durationMs(ir.connectTimeoutMs),
    lb_policy: LB_POLICY[ir.lbPolicy],
  };
  if (options.proxyless) {
    // grpc-js-xds accepts ROUND_ROBIN and RING_HASH as lb_policy; anything else falls back to round robin.
    if (ir.lbPolicy !== 'ring-hash') cluster.lb_policy = 'ROUND_ROBIN';
    return cluster;
  }
  const http2 = ir.protocol === 'http2' || ir.protocol === 'tls-http2';
  cluster.typed_extension_protocol_options = {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': pack(
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      {
        explicit_http_config: http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
      },
    ),
  };
  return cluster;
}
