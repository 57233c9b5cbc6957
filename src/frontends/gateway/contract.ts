// The seams of the Gateway API front-end, fixed first so its parts can be built side by side:
//   listeners/attachment (Gateway, ListenerSet, GatewayClass, parentRefs)  -> calls ->
//   route rules (HTTPRoute, GRPCRoute: matches, filters, backendRefs, precedence)
// and the whole front-end -> the translation entry point (node groups) and the status writers.
// The front-end is pure: model in, IR fragments and statuses out; it never writes an Envoy field.
import type { ModelView } from '../../model/store';
import type { GatewayApiKind, GatewayApiObject } from '../../model/gateway-api';
import type { GroupIr } from '../../ir/group';
import type { IrCluster, IrEndpoints, IrServicePortRef } from '../../ir/clusters';
import type { IrRoute, IrWeightedCluster } from '../../ir/http';
import type { Statuses } from '../../translate/findings';

/** The controllerName a GatewayClass names for kxds to serve it. */
export const GATEWAY_CONTROLLER_NAME = 'kxds.io/gateway-controller';

/** A Kubernetes condition as Gateway API status carries it. */
export interface ApiCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration: number;
  /** Filled by the status writer (kept from the last write when the condition did not change). */
  lastTransitionTime?: string;
}

/**
 * The status kxds computes for one Gateway API object: exactly what the status subresource should hold
 * (`status` is the API's own shape: GatewayClass/Gateway/ListenerSet conditions and listeners, a route's
 * `parents` (only the entries whose controllerName is ours), BackendTLSPolicy `ancestors`). Served as is at
 * /debug/gateway-status and by `kxds validate -o json`; written by the leader in cluster mode.
 */
export interface GatewayApiStatus {
  kind: GatewayApiKind;
  namespace?: string;
  name: string;
  generation: number;
  status: Record<string, unknown>;
}

/** A Gateway kxds serves, as a node group: edge Envoys announcing kxds.io/gateway NS/NAME receive it. */
export interface ServedGateway {
  namespace: string;
  name: string;
  ir: GroupIr;
}

export interface GatewayOptions {
  /** The address Envoy listeners bind (0.0.0.0 in a pod; loopback in tests). */
  address: string;
  /** Privileged ports (< 1024) are bound at port + this offset, so Envoy runs without privileges (10000). */
  privilegedPortOffset: number;
  allowExternalName: boolean;
  connectTimeoutMs: number;
  /** Listeners one Gateway serves with its ListenerSets (default MAX_GATEWAY_LISTENERS; tests lower it). */
  maxListeners?: number;
  /** When certificates are judged (ISO 8601; default: the time of the build). For tests. */
  now?: string;
}

export interface GatewayTranslation {
  gateways: ServedGateway[];
  statuses: GatewayApiStatus[];
}

/** The front-end's entry point (index.ts implements it). Findings for logs/Events also go to `warnings`. */
export type TranslateGateways = (
  model: ModelView,
  options: GatewayOptions,
  warnings: Statuses,
) => GatewayTranslation;

// ---- listeners/attachment -> route rules ----

/** The listener a route is being attached to, as the rules need it (redirect ports, schemes, hostnames). */
export interface ListenerContext {
  gateway: { namespace: string; name: string };
  /** The Gateway listener's own port and protocol (not the Envoy bind port). */
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /** The hostnames this route serves on this listener, after intersection ("*" when unrestricted). */
  hostnames: string[];
}

/**
 * A Service a mesh route attaches to (GAMMA: parentRef kind Service), in place of a Gateway listener: the
 * calls to that Service port are what the route's rules decide. Redirects keep the Service port.
 */
export interface ServiceParentContext {
  service: { namespace: string; name: string };
  /** The Service port whose calls the route decides (a parentRef without a port: each port in turn). */
  port: number;
  protocol: 'HTTP';
  /** Mesh routes match every host a caller may use for the Service. */
  hostnames: ['*'];
}

/** What a route's rules are translated for: a Gateway listener or a Service (mesh). */
export type RouteParentContext = ListenerContext | ServiceParentContext;

/** A Route condition about the route as a whole, for each of its parents (Accepted, ResolvedRefs, ...). */
export interface RouteCondition {
  type: 'Accepted' | 'ResolvedRefs' | 'PartiallyInvalid';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** One IR route with what the cross-route precedence rules of the spec need to order it. */
export interface RankedRoute {
  route: IrRoute;
  /** The owning route object (oldest creationTimestamp, then "namespace/name" alphabetically, win ties). */
  owner: { kind: 'HTTPRoute' | 'GRPCRoute'; namespace: string; name: string; creationTimestamp: string };
  ruleIndex: number;
  matchIndex: number;
  /** GRPCRoute only: characters of the matched service and method (the spec orders gRPC rules by them). */
  grpcMethod?: { serviceChars: number; methodChars: number };
}

/** Route rules translated for one listener: ordered routes, the clusters they use, and route conditions. */
export interface TranslatedRules {
  routes: RankedRoute[];
  /** A TLSRoute's, TCPRoute's or UDPRoute's connections: where they go, by weight (HTTP rules: absent). */
  l4Backends?: IrWeightedCluster[];
  clusters: IrCluster[];
  endpoints: IrEndpoints[];
  /** Conditions to report on this parent (ResolvedRefs False with its reason, Accepted False, ...). */
  conditions: RouteCondition[];
  /**
   * Every Service port the rules refer to, resolved or not (a BackendTLSPolicy that can't be used leaves
   * no cluster): what `backendTlsPolicyStatuses` needs to list a policy's Gateways as its ancestors.
   */
  backendPorts?: IrServicePortRef[];
}

/** What route-rule translation may consult besides the model. */
export interface RuleContext {
  model: ModelView;
  options: GatewayOptions;
  warnings: Statuses;
}

export type TranslateRouteRules = (
  route: GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>,
  listener: RouteParentContext,
  ctx: RuleContext,
) => TranslatedRules;

/** Sorts routes of one virtual host by the spec's precedence (most specific first). */
export type CompareRankedRoutes = (a: RankedRoute, b: RankedRoute) => number;

// ---- route rules -> the whole front-end: BackendTLSPolicy status ----

/** The Service ports one served Gateway's routes refer to (the union of its TranslatedRules.backendPorts). */
export interface GatewayBackendUse {
  gateway: { namespace: string; name: string };
  backendPorts: readonly IrServicePortRef[];
}

/**
 * BackendTLSPolicy statuses (routes/backend-tls-status.ts implements it): one per policy that applies to a
 * Service port some served Gateway uses, with one `ancestors` entry per such Gateway.
 */
export type BackendTlsPolicyStatuses = (
  model: ModelView,
  uses: readonly GatewayBackendUse[],
) => GatewayApiStatus[];
