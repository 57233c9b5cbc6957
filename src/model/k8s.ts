// Plain TypeScript shapes of the Kubernetes objects kxds watches. Only the fields kxds reads are listed;
// sources hand over whole objects, so unknown fields pass through untouched. No client library types here:
// translation must not depend on where objects came from.
import {
  GATEWAY_API_KIND_NAMES,
  gatewayApiVersions,
  isGatewayApiKind,
  perGatewayKind,
  type GatewayApiKind,
  type GatewayApiObject,
} from './gateway-api';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid?: string }[];
  generateName?: string;
  deletionTimestamp?: string;
  /** RFC 3339; the edge uses it to let the oldest Ingress win a conflict. */
  creationTimestamp?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
  nodePort?: number;
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    ports?: ServicePort[];
    selector?: Record<string, string>;
    sessionAffinity?: 'ClientIP' | 'None';
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  kind: 'EndpointSlice';
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: Endpoint[];
  ports?: EndpointPort[];
}

export interface IngressServiceBackend {
  name: string;
  port?: { name?: string; number?: number };
}

export interface IngressBackend {
  service?: IngressServiceBackend;
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface HTTPIngressPath {
  path?: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths: HTTPIngressPath[] };
}

export interface Ingress extends KubeObject {
  kind: 'Ingress';
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: IngressRule[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface IngressClass extends KubeObject {
  kind: 'IngressClass';
  spec: { controller?: string; parameters?: unknown };
}

export interface Secret extends KubeObject {
  kind: 'Secret';
  type?: string;
  /** base64 values, as the API returns them. */
  data?: Record<string, string>;
  /** plain values, as manifests may write them. */
  stringData?: Record<string, string>;
}

/** A Secret named by an object kxds serves (an Ingress's TLS, a Gateway listener's certificateRef, ...). */
export interface SecretRef {
  namespace: string;
  name: string;
}

export interface Namespace extends KubeObject {
  kind: 'Namespace';
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec: {
    hostNetwork?: boolean;
    serviceAccountName?: string;
    nodeName?: string;
    containers: { name: string; ports?: { name?: string; containerPort: number; protocol?: string }[] }[];
    [key: string]: unknown;
  };
  status?: { podIP?: string; podIPs?: { ip: string }[]; phase?: string };
}

/** Read for the CA certificates BackendTLSPolicies name; kxds keeps only the `ca.crt` key. */
export interface ConfigMap extends KubeObject {
  kind: 'ConfigMap';
  data?: Record<string, string>;
}

/**
 * A Gateway API CRD, read only for its bundle-version annotation (the GatewayClass SupportedVersion
 * condition); kxds keeps its name, that annotation, its group and kind, never the schemas.
 */
export interface CustomResourceDefinition extends KubeObject {
  kind: 'CustomResourceDefinition';
  spec: { group?: string; names?: { kind?: string; plural?: string } };
}

type GatewayApiObjects = { [K in GatewayApiKind]: GatewayApiObject<K> }[GatewayApiKind];

export type WatchedObject =
  | Service
  | EndpointSlice
  | Ingress
  | IngressClass
  | Secret
  | Namespace
  | Pod
  | ConfigMap
  | CustomResourceDefinition
  | GatewayApiObjects;
export type WatchedKind = WatchedObject['kind'];

export const WATCHED_KINDS: readonly WatchedKind[] = [
  'Service',
  'EndpointSlice',
  'Ingress',
  'IngressClass',
  'Secret',
  'Namespace',
  'Pod',
  'ConfigMap',
  'CustomResourceDefinition',
  ...GATEWAY_API_KIND_NAMES,
];

/** The apiVersion each watched kind is served under. */
export const API_VERSIONS: Readonly<Record<WatchedKind, string>> = {
  Service: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Secret: 'v1',
  Namespace: 'v1',
  Pod: 'v1',
  ConfigMap: 'v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  ...perGatewayKind((_row, kind) => gatewayApiVersions(kind)[0] ?? ''),
};

/** Every apiVersion a manifest may use for a kind (several only for Gateway API kinds), preferred first. */
export function acceptedApiVersions(kind: WatchedKind): readonly string[] {
  return isGatewayApiKind(kind) ? gatewayApiVersions(kind) : [API_VERSIONS[kind]];
}

/** Cluster-scoped kinds have no namespace in their key. */
export const CLUSTER_SCOPED: ReadonlySet<WatchedKind> = new Set([
  'IngressClass',
  'Namespace',
  'CustomResourceDefinition',
  'GatewayClass',
]);

export function objectKey(obj: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return obj.metadata.namespace
    ? `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`
    : `${obj.kind}/${obj.metadata.name}`;
}

/** "namespace/name" (or "name" for cluster-scoped objects), the way kubectl and logs name an object. */
export function objectRef(obj: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return obj.metadata.namespace
    ? `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`
    : `${obj.kind} ${obj.metadata.name}`;
}
