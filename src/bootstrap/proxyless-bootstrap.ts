// The bootstrap of a proxyless gRPC client (grpc-js-xds and the other gRPC xDS clients read it from
// GRPC_XDS_BOOTSTRAP or GRPC_XDS_BOOTSTRAP_CONFIG). Its format is gRPC's JSON, not an Envoy proto.
import { NODE_METADATA } from './constants';
import type { PodIdentity } from './pod-identity';
import type { XdsClientTls } from './xds-client-tls';
import { formatXdsServerAddress, parseXdsServerAddress, type XdsServerAddress } from './xds-server-address';

export interface GrpcChannelCredentials {
  type: 'insecure' | 'tls';
  config?: { ca_certificate_file: string; certificate_file?: string; private_key_file?: string };
}

export interface GrpcXdsBootstrap {
  xds_servers: { server_uri: string; channel_creds: GrpcChannelCredentials[]; server_features: string[] }[];
  node: {
    id: string;
    cluster: string;
    /** Mandatory for grpc-js-xds even when empty: without it the first call fails oddly. */
    locality: Record<string, never>;
    metadata: Record<string, string>;
  };
}

export interface ProxylessBootstrapOptions {
  xdsServer: string | XdsServerAddress;
  nodeId?: string;
  nodeCluster?: string;
  pod?: PodIdentity;
  /** gRFC A65 `tls` channel credentials; support depends on the client library's version. */
  tls?: XdsClientTls;
}

export function buildProxylessBootstrap(opts: ProxylessBootstrapOptions): GrpcXdsBootstrap {
  const address = typeof opts.xdsServer === 'string' ? parseXdsServerAddress(opts.xdsServer) : opts.xdsServer;
  const creds: GrpcChannelCredentials = opts.tls
    ? {
        type: 'tls',
        config: {
          ca_certificate_file: opts.tls.caFile,
          certificate_file: opts.tls.certFile,
          private_key_file: opts.tls.keyFile,
        },
      }
    : { type: 'insecure' };
  const metadata: Record<string, string> = { [NODE_METADATA.role]: 'proxyless' };
  const pod = opts.pod ?? {};
  if (pod.name) metadata[NODE_METADATA.podName] = pod.name;
  if (pod.namespace) metadata[NODE_METADATA.namespace] = pod.namespace;
  const defaultId = pod.name && pod.namespace ? `${pod.name}.${pod.namespace}` : 'kxds-proxyless';
  return {
    xds_servers: [
      { server_uri: formatXdsServerAddress(address), channel_creds: [creds], server_features: ['xds_v3'] },
    ],
    node: {
      id: opts.nodeId ?? defaultId,
      cluster: opts.nodeCluster ?? 'kxds-proxyless',
      locality: {},
      metadata,
    },
  };
}
