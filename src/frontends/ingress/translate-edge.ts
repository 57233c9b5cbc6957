// The Ingress front-end's entry point: served Ingresses and their Services -> the "edge" group's IR and the
// Ingresses it serves. The Envoy back-end (src/envoy/group.ts) turns the IR into resources.
import type { ModelView } from '../../model/store';
import type { Statuses } from '../../translate/findings';
import { buildEdgeIr, type EdgeIr } from './build-ir';
import { DEFAULT_INGRESS_CLASS } from './ingress-class';
import type { ClusterDefaults } from '../../translate/clusters';

export const DEFAULT_EDGE_HTTP_PORT = 8080;
export const DEFAULT_EDGE_HTTPS_PORT = 8443;

export interface EdgeOptions {
  ingressClass?: string;
  edgeHttpPort?: number;
  edgeHttpsPort?: number;
  /** Address the edge listeners bind; default 0.0.0.0. */
  edgeAddress?: string;
  allowExternalName?: boolean;
  defaults?: ClusterDefaults;
  defaultCertificate?: string;
  edgeTrustedHops?: number;
  edgeProxyProtocol?: boolean;
  tcpServicesConfigMap?: string;
  udpServicesConfigMap?: string;
  now?: string;
}

export function translateEdge(model: ModelView, options: EdgeOptions, warnings: Statuses): EdgeIr {
  return buildEdgeIr(
    model,
    {
      ingressClass: options.ingressClass ?? DEFAULT_INGRESS_CLASS,
      allowExternalName: options.allowExternalName ?? false,
      ...(options.defaults ? { defaults: options.defaults } : {}),
      address: options.edgeAddress ?? '0.0.0.0',
      httpPort: options.edgeHttpPort ?? DEFAULT_EDGE_HTTP_PORT,
      httpsPort: options.edgeHttpsPort ?? DEFAULT_EDGE_HTTPS_PORT,
      now: options.now ? new Date(options.now) : new Date(),
      ...(options.defaultCertificate ? { defaultCertificate: options.defaultCertificate } : {}),
      ...(options.tcpServicesConfigMap ? { tcpServicesConfigMap: options.tcpServicesConfigMap } : {}),
      ...(options.udpServicesConfigMap ? { udpServicesConfigMap: options.udpServicesConfigMap } : {}),
      ...((options.edgeTrustedHops ?? 0) > 0 || options.edgeProxyProtocol
        ? {
            clientAddress: {
              trustedHops: options.edgeTrustedHops ?? 0,
              proxyProtocol: options.edgeProxyProtocol ?? false,
            },
          }
        : {}),
    },
    warnings,
  );
}
