// The Kubernetes resources kxds watches and how each is listed: URL path, scope, and a server-side filter.
// One entry per informer is derived from this and the namespace scope; Secrets are the exception, read one
// by one as the model references them (named-secrets.ts), and so are the Gateway API CRDs, by name.
import { GATEWAY_API_CRD_NAMES, isGatewayApiKind, perGatewayKind } from '../model/gateway-api';
import { API_VERSIONS, CLUSTER_SCOPED, WATCHED_KINDS, type WatchedKind } from '../model/k8s';

export interface WatchedResource {
  kind: WatchedKind;
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  /** Always applied, so the API server never sends anything else. */
  fieldSelector?: string;
  /** Served by a CRD that a cluster may not have (Gateway API): its absence is normal, not an error. */
  optional: boolean;
}

const PLURALS: Readonly<Record<WatchedKind, string>> = {
  Service: 'services',
  EndpointSlice: 'endpointslices',
  Ingress: 'ingresses',
  IngressClass: 'ingressclasses',
  Secret: 'secrets',
  Namespace: 'namespaces',
  Pod: 'pods',
  ConfigMap: 'configmaps',
  CustomResourceDefinition: 'customresourcedefinitions',
  ...perGatewayKind((row) => row.plural),
};

export function watchedResource(kind: WatchedKind): WatchedResource {
  return {
    kind,
    apiVersion: API_VERSIONS[kind],
    plural: PLURALS[kind],
    namespaced: !CLUSTER_SCOPED.has(kind),
    optional: isGatewayApiKind(kind),
  };
}

export const WATCHED_RESOURCES: readonly WatchedResource[] = WATCHED_KINDS.map(watchedResource);

/** The collection URL: /api/v1/services, /apis/discovery.k8s.io/v1/namespaces/NS/endpointslices, ... */
export function collectionPath(
  resource: { apiVersion: string; plural: string; namespaced: boolean },
  namespace?: string,
): string {
  const prefix = resource.apiVersion.includes('/')
    ? `/apis/${resource.apiVersion}`
    : `/api/${resource.apiVersion}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${prefix}${ns}/${resource.plural}`;
}

export interface InformerScope {
  /** For logs and stats: "Service", "Secret ns=team-a", "Namespace team-a". */
  id: string;
  resource: WatchedResource;
  path: string;
  fieldSelector?: string;
}

/**
 * The informers for one resource: one over all namespaces, or one per namespace when the scope is limited.
 * A limited scope watches each of its Namespaces by name, so kxds needs no cluster-wide read of namespaces
 * beyond those it was given. CRDs are watched one by name each, whatever the scope.
 */
export function informerScopes(resource: WatchedResource, namespaces: readonly string[]): InformerScope[] {
  if (resource.kind === 'CustomResourceDefinition') {
    // One informer per Gateway API CRD, by name: kxds may read those CRDs only (RBAC resourceNames).
    return GATEWAY_API_CRD_NAMES.map((name) => ({
      id: `CustomResourceDefinition ${name}`,
      resource,
      path: collectionPath(resource),
      fieldSelector: `metadata.name=${name}`,
    }));
  }
  if (namespaces.length === 0) {
    return [
      { id: resource.kind, resource, path: collectionPath(resource), fieldSelector: resource.fieldSelector },
    ];
  }
  if (resource.kind === 'Namespace') {
    return namespaces.map((ns) => ({
      id: `Namespace ${ns}`,
      resource,
      path: collectionPath(resource),
      fieldSelector: `metadata.name=${ns}`,
    }));
  }
  if (!resource.namespaced) {
    return [
      { id: resource.kind, resource, path: collectionPath(resource), fieldSelector: resource.fieldSelector },
    ];
  }
  return namespaces.map((ns) => ({
    id: `${resource.kind} ns=${ns}`,
    resource,
    path: collectionPath(resource, ns),
    fieldSelector: resource.fieldSelector,
  }));
}
