// What the operator decides about injected pods (from `kxds serve` flags): images, where the xDS server is,
// native or classic sidecars, default proxy resources, and the namespaces never injected.

export interface ProxyResources {
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
}

export interface InjectionSettings {
  /** The Envoy image of the proxy container (`--envoy-image`). */
  envoyImage: string;
  /** The kxds image; its entrypoint is the kxds CLI, run by the init container as `kxds bootstrap`. */
  kxdsImage: string;
  /** Image of the iptables init container (needs `iptables` and `sh`); default kxdsImage. */
  iptablesImage?: string;
  /** kxds's xDS address as the pods reach it, e.g. kxds.kxds.svc:18000. */
  xdsServer: string;
  /** Native sidecars (an init container with restartPolicy Always); needs Kubernetes 1.29+. */
  nativeSidecars: boolean;
  /** kxds's own namespace, never injected. */
  ownNamespace: string;
  /**
   * A Secret in the pod's namespace with tls.crt, tls.key and ca.crt for mutual TLS to kxds. A pod can only
   * mount Secrets of its own namespace, so each injected namespace needs a copy.
   */
  xdsClientTlsSecret?: string;
  proxyResources: ProxyResources;
  /** How long the app waits for Envoy to become ready before the pod start is failed. */
  proxyReadyTimeoutSeconds: number;
  /** Namespaces never injected besides ownNamespace. */
  excludedNamespaces: readonly string[];
}

export const DEFAULT_PROXY_RESOURCES: ProxyResources = {
  cpuRequest: '100m',
  cpuLimit: '1',
  memoryRequest: '128Mi',
  memoryLimit: '256Mi',
};

export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Settings with defaults for everything but the images, the xDS address and kxds's namespace. */
export function injectionSettings(
  required: Pick<InjectionSettings, 'envoyImage' | 'kxdsImage' | 'xdsServer' | 'ownNamespace'>,
  overrides: Partial<InjectionSettings> = {},
): InjectionSettings {
  return {
    nativeSidecars: true,
    proxyResources: DEFAULT_PROXY_RESOURCES,
    proxyReadyTimeoutSeconds: 60,
    excludedNamespaces: SYSTEM_NAMESPACES,
    ...required,
    ...overrides,
  };
}
