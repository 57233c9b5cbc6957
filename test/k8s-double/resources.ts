// The resource types the Kubernetes API server double serves: enough of the real discovery data for
// @kubernetes/client-node and kxds (core v1, discovery.k8s.io/v1, networking.k8s.io/v1, coordination.k8s.io/v1,
// admissionregistration.k8s.io/v1, apiextensions.k8s.io/v1 CRDs, apps/v1 Deployments for the provisioner).

export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural name as it appears in URLs. */
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Writes to the main resource keep the stored status; only /status writes change it. */
  hasStatus: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, hasStatus: true },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, hasStatus: true },
  { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true, hasStatus: false },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, hasStatus: false },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, hasStatus: true },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, hasStatus: false },
  {
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    hasStatus: false,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
    hasStatus: false,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingressclasses',
    kind: 'IngressClass',
    namespaced: false,
    hasStatus: false,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
    hasStatus: false,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    hasStatus: true,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
    hasStatus: false,
  },
];

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/**
 * The Gateway API CRDs (standard channel, watched versions), absent at start: a test installs them with
 * `ApiServerDouble.installResourceTypes` to play a cluster where the CRDs appear later.
 */
export const GATEWAY_API_TYPES: readonly ResourceType[] = [
  ['GatewayClass', 'gatewayclasses', false],
  ['Gateway', 'gateways', true],
  ['ListenerSet', 'listenersets', true],
  ['HTTPRoute', 'httproutes', true],
  ['GRPCRoute', 'grpcroutes', true],
  ['ReferenceGrant', 'referencegrants', true],
  ['BackendTLSPolicy', 'backendtlspolicies', true],
  ['TLSRoute', 'tlsroutes', true],
  ['TCPRoute', 'tcproutes', true],
  ['UDPRoute', 'udproutes', true],
].map(([kind, plural, namespaced]) => ({
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: plural as string,
  kind: kind as string,
  namespaced: namespaced as boolean,
  hasStatus: kind !== 'ReferenceGrant',
}));

export function findByKind(
  apiVersion: string,
  kind: string,
  types: readonly ResourceType[] = RESOURCE_TYPES,
): ResourceType | undefined {
  return types.find((t) => t.kind === kind && apiVersionOf(t) === apiVersion);
}

export function findByPlural(
  group: string,
  version: string,
  plural: string,
  types: readonly ResourceType[] = RESOURCE_TYPES,
): ResourceType | undefined {
  return types.find((t) => t.group === group && t.version === version && t.plural === plural);
}
