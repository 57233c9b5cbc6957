// Names kxds gives to Envoy resources and the host names a Service answers to. One place, so the edge,
// sidecars and proxyless clients all agree.
import type { IrServicePortRef } from '../ir/clusters';

export const CLUSTER_DOMAIN = 'cluster.local';

export function clusterName(ref: { namespace: string; service: string; port: number }): string {
  return `${ref.namespace}/${ref.service}/${ref.port}`;
}

/** Every host form a client may use for a Service, most specific first. */
export function serviceHostNames(namespace: string, service: string): string[] {
  return [
    `${service}.${namespace}.svc.${CLUSTER_DOMAIN}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}`,
  ];
}

/** Listener names a proxyless client may subscribe to for a Service port (xds:///HOST:PORT gives "HOST:PORT"). */
export function proxylessListenerNames(ref: IrServicePortRef, onlyPort: boolean): string[] {
  const hosts = serviceHostNames(ref.namespace, ref.service);
  const names = hosts.map((h) => `${h}:${ref.port}`);
  // A Service with a single port can be dialled without one (xds:///greeter.demo).
  if (onlyPort) names.push(...hosts);
  return names;
}

export function proxylessRouteName(ref: IrServicePortRef): string {
  return `${serviceHostNames(ref.namespace, ref.service)[0]}:${ref.port}`;
}
