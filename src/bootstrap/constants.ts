// Ports, paths, user id and node metadata keys shared by the bootstraps kxds prints and the pods its webhook
// injects; one place, so the injected probe, the iptables rules and the bootstrap cannot drift apart.

/** The roles a kxds client can have; the control plane groups nodes by it. */
export type ProxyRole = 'edge' | 'sidecar' | 'proxyless';
export const PROXY_ROLES: readonly ProxyRole[] = ['edge', 'sidecar', 'proxyless'];

/** Envoy admin, bound to 127.0.0.1 only. */
export const ADMIN_PORT: Readonly<Record<'edge' | 'sidecar', number>> = { edge: 9901, sidecar: 15000 };
/** A static listener on all addresses that answers only GET /healthz/ready (proxied to admin /ready). */
export const HEALTH_PORT = 15021;
export const HEALTH_PATH = '/healthz/ready';
/** Sidecar outbound listener (explicit mode: 127.0.0.1; transparent mode: where iptables sends outbound). */
export const SIDECAR_OUTBOUND_PORT = 15001;
/** Sidecar inbound listener in transparent mode. */
export const SIDECAR_INBOUND_PORT = 15006;
/** The uid Envoy runs as; iptables lets its own traffic through. */
export const PROXY_UID = 1337;

/** Static cluster names in the bootstraps. */
export const XDS_CLUSTER = 'kxds-xds';
export const ADMIN_CLUSTER = 'kxds-admin';

/** Keys of node.metadata that kxds writes and the control plane reads. */
export const NODE_METADATA = {
  role: 'kxds.io/role',
  podName: 'kxds.io/pod-name',
  namespace: 'kxds.io/namespace',
  podIp: 'kxds.io/pod-ip',
  serviceAccount: 'kxds.io/service-account',
  labels: 'kxds.io/labels',
  capture: 'kxds.io/capture',
  egressNamespaces: 'kxds.io/egress-namespaces',
  /** An edge Envoy serving one Gateway API Gateway: "NAMESPACE/NAME". */
  gateway: 'kxds.io/gateway',
} as const;

/** How a sidecar receives the app's traffic: the app dials 127.0.0.1:15001, or iptables redirects it. */
export type CaptureMode = 'explicit' | 'iptables';

/** How `kxds bootstrap --output` prints a bootstrap. */
export type BootstrapFormat = 'yaml' | 'json';
export const BOOTSTRAP_FORMATS: readonly BootstrapFormat[] = ['yaml', 'json'];
