// The Gateway API kinds kxds reads, one row per kind: plural, scope, and the apiVersions accepted. The
// versions are those the v1.6.1 standard-channel CRDs serve (GatewayClass, Gateway, HTTPRoute and
// ReferenceGrant still serve v1beta1 beside v1), plus the experimental-channel versions older installs
// carry. Informers watch the first (preferred) version; manifests may use any accepted one, since these
// CRDs convert between versions with `strategy: None` (the schemas are the same).
// Adding a Gateway API kind is one row here; the other per-kind tables are derived from this one.
import type { KubeObject } from './k8s';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export interface GatewayKindRow {
  plural: string;
  clusterScoped: boolean;
  /** Served by the v1.6.1 standard CRDs; the first is watched. */
  standard: readonly string[];
  /** Experimental-channel (or older standard) versions accepted from manifests too. */
  experimental: readonly string[];
}

export const GATEWAY_API_KINDS = {
  GatewayClass: {
    plural: 'gatewayclasses',
    clusterScoped: true,
    standard: ['v1', 'v1beta1'],
    experimental: [],
  },
  Gateway: { plural: 'gateways', clusterScoped: false, standard: ['v1', 'v1beta1'], experimental: [] },
  ListenerSet: { plural: 'listenersets', clusterScoped: false, standard: ['v1'], experimental: [] },
  HTTPRoute: { plural: 'httproutes', clusterScoped: false, standard: ['v1', 'v1beta1'], experimental: [] },
  GRPCRoute: { plural: 'grpcroutes', clusterScoped: false, standard: ['v1'], experimental: ['v1alpha2'] },
  ReferenceGrant: {
    plural: 'referencegrants',
    clusterScoped: false,
    standard: ['v1', 'v1beta1'],
    experimental: ['v1alpha2'],
  },
  BackendTLSPolicy: {
    plural: 'backendtlspolicies',
    clusterScoped: false,
    standard: ['v1'],
    experimental: ['v1alpha3'],
  },
  TLSRoute: {
    plural: 'tlsroutes',
    clusterScoped: false,
    standard: ['v1'],
    experimental: ['v1alpha3', 'v1alpha2'],
  },
  TCPRoute: { plural: 'tcproutes', clusterScoped: false, standard: ['v1'], experimental: ['v1alpha2'] },
  UDPRoute: { plural: 'udproutes', clusterScoped: false, standard: ['v1'], experimental: ['v1alpha2'] },
} as const satisfies Record<string, GatewayKindRow>;

export type GatewayApiKind = keyof typeof GATEWAY_API_KINDS;

export const GATEWAY_API_KIND_NAMES = Object.keys(GATEWAY_API_KINDS) as GatewayApiKind[];

/**
 * A Gateway API object as kxds stores it. `spec` stays loosely typed here: the schema and CEL checks have
 * vouched for its shape, and the gateway front-end reads it with the Gateway API's own field names.
 */
export interface GatewayApiObject<K extends GatewayApiKind = GatewayApiKind> extends KubeObject {
  kind: K;
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export function isGatewayApiKind(kind: string): kind is GatewayApiKind {
  return Object.hasOwn(GATEWAY_API_KINDS, kind);
}

/** Every apiVersion accepted for a kind, preferred first. */
export function gatewayApiVersions(kind: GatewayApiKind): string[] {
  const row: GatewayKindRow = GATEWAY_API_KINDS[kind];
  return [...row.standard, ...row.experimental].map((v) => `${GATEWAY_API_GROUP}/${v}`);
}

/** A derived per-kind table: `{ GatewayClass: f(row), Gateway: f(row), ... }`. */
export function perGatewayKind<T>(
  f: (row: GatewayKindRow, kind: GatewayApiKind) => T,
): Record<GatewayApiKind, T> {
  return Object.fromEntries(GATEWAY_API_KIND_NAMES.map((k) => [k, f(GATEWAY_API_KINDS[k], k)])) as Record<
    GatewayApiKind,
    T
  >;
}

/** The annotation on each Gateway API CRD naming the release it comes from ("v1.6.1"). */
export const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/**
 * The CRD names of the kinds kxds reads ("httproutes.gateway.networking.k8s.io"): the only
 * CustomResourceDefinitions kxds reads, each for its bundle version.
 */
export const GATEWAY_API_CRD_NAMES: readonly string[] = GATEWAY_API_KIND_NAMES.map(
  (kind) => `${GATEWAY_API_KINDS[kind].plural}.${GATEWAY_API_GROUP}`,
);

export function isGatewayApiCrdName(name: unknown): boolean {
  return typeof name === 'string' && GATEWAY_API_CRD_NAMES.includes(name);
}
