// The translation entry point: the whole model -> the resources of every node group, typed statuses about
// bad input and, per group, the Service-level policies its dialect could not take. Pure and synchronous;
// it never throws for bad input (a broken object gets a condition and is left out or answered with a 503),
// so one bad Ingress can't take config away from anything else.
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import { mergeStatuses, type ObjectStatus } from '../ir/status';
import { report, type Statuses } from './findings';
import type { HeldBackPolicy } from '../ir/clusters';
import {
  GROUP_EDGE,
  GROUP_PROXYLESS,
  nodeGroupKey,
  sidecarGroup,
  type NodeGroup,
  type SidecarGroup,
} from '../xds/node-group';
import { translateProxyless } from './proxyless';
import { serviceCatalog } from './service-catalog';
import { checkAnnotations } from './annotation-check';
import { translateSidecar } from './sidecar/sidecar';
import { translateEdge } from '../frontends/ingress/translate-edge';
import { groupResources } from '../envoy/group';
import { DIALECTS } from './dialects/dialect';
import { TranslationMemos } from './translation-memos';
import { PRIVILEGED_PORT_OFFSET, translateGatewayGroups } from './gateways';
import { translateGateways } from '../frontends/gateway/index';
import type { GatewayApiStatus, TranslateGateways } from '../frontends/gateway/contract';
import { consumerNamespaces, meshRoutes } from '../frontends/mesh/service-routes';
import { withMeshParents } from '../frontends/mesh/merge-parents';

export { GROUP_EDGE, GROUP_PROXYLESS };

type ProxylessGroup = Extract<NodeGroup, { kind: 'proxyless' }>;

export interface TranslationResult {
  groups: Map<string, ResourceSet>;
  /** One per object with problems, each finding once (see src/ir/status.ts). */
  statuses: ObjectStatus[];
  /** Per node group key, what its dialect could not take (absent or empty: nothing held back). */
  heldBack: Map<string, HeldBackPolicy[]>;
  /** "ns/name" of every Ingress the edge serves, sorted: the Ingress status writer updates these. */
  servedIngresses: string[];
  /** Keys of the groups the model itself calls for (see standingGroups); the rest were requested. */
  standingGroups: string[];
  /**
   * Gateway API statuses (GatewayClass, Gateway, ListenerSet, routes, policies), sorted by kind/ns/name; a
   * route's `parents` hold its Gateway parents' entries and its Service (mesh) parents' ones.
   */
  gatewayStatuses: GatewayApiStatus[];
  /**
   * Namespaces with consumer mesh routes, sorted: a proxyless client declaring one of them (kxds.io/namespace)
   * is served from that namespace's proxyless group (src/server/groups.ts).
   */
  consumerNamespaces: string[];
}

export interface TranslateOptions {
  /** The IngressClass name this controller serves (default "kxds"). */
  ingressClass?: string;
  /** Edge listener ports. */
  edgeHttpPort?: number;
  edgeHttpsPort?: number;
  /** Address the edge listeners bind (default 0.0.0.0); Gateway listeners bind it too. */
  edgeAddress?: string;
  /** Gateway listeners on ports below 1024 bind port + this (default 10000), so Envoy needs no privilege. */
  privilegedPortOffset?: number;
  /** The Secret (NAMESPACE/NAME) the edge presents to TLS clients without SNI or with a name no Ingress has. */
  defaultCertificate?: string;
  /** X-Forwarded-For entries (from the right) the edge trusts, written by proxies in front of it (default 0). */
  edgeTrustedHops?: number;
  /** The edge listeners expect the PROXY protocol header (from a load balancer) on every connection. */
  edgeProxyProtocol?: boolean;
  /** ConfigMaps NAMESPACE/NAME of TCP and UDP services for the edge (ingress-nginx format, see docs/ingress.md). */
  tcpServicesConfigMap?: string;
  udpServicesConfigMap?: string;
  /** When certificates are judged (ISO 8601; default: the time of the build). For tests. */
  now?: string;
  /** Serve ExternalName Services as DNS clusters at the edge (they can reach outside the cluster). */
  allowExternalName?: boolean;
  /** Upstream connect timeout of every cluster unless its Service sets kxds.io/connect-timeout (5 s). */
  connectTimeoutMs?: number;
  /** Groups connected nodes watch; built besides the standing ones (sidecar variants, proxyless dialects). */
  requestedGroups?: readonly NodeGroup[];
}

/** The groups built whoever watches them: edge, proxyless, and an explicit sidecar group per namespace. */
export function standingGroups(model: ModelView): NodeGroup[] {
  return [
    { kind: 'edge' },
    { kind: 'proxyless' },
    ...model.namespaces().map((namespace) => sidecarGroup(namespace, false)),
  ];
}

/**
 * One translation pipeline's translator: it owns the memos (see memo.ts) that make an unchanged object
 * yield the same built resources across builds, and sweeps them after each build, so they hold only what
 * the current model references.
 */
export class Translator {
  private readonly memos = new TranslationMemos();

  /** `gateways`: the Gateway API front-end (tests inject a fake one to test the wiring on its own). */
  constructor(private readonly gateways: TranslateGateways = translateGateways) {}

  translate(model: ModelView, options: TranslateOptions = {}): TranslationResult {
    this.memos.begin();
    const result = translateWith(this.memos, model, options, this.gateways);
    this.memos.sweep();
    return result;
  }

  /** Memo entries held now (a test shows they follow the model, not its history). */
  memoSize(): number {
    return this.memos.size();
  }
}

/** A one-off translation (tests, kxds validate): a fresh translator, nothing kept. */
export function translate(
  model: ModelView,
  options: TranslateOptions = {},
  gateways: TranslateGateways = translateGateways,
): TranslationResult {
  return new Translator(gateways).translate(model, options);
}

function translateWith(
  memos: TranslationMemos,
  model: ModelView,
  options: TranslateOptions,
  gatewayFrontend: TranslateGateways,
): TranslationResult {
  const warnings: Statuses = [];
  const groups = new Map<string, ResourceSet>();
  const heldBack = new Map<string, HeldBackPolicy[]>();
  const defaults = { connectTimeoutMs: options.connectTimeoutMs ?? 5000 };
  const catalog = serviceCatalog(model, warnings, defaults, memos);
  const mesh = meshRoutes(model, {
    model,
    warnings,
    options: {
      address: options.edgeAddress ?? '0.0.0.0',
      privilegedPortOffset: 0,
      allowExternalName: options.allowExternalName ?? false,
      connectTimeoutMs: defaults.connectTimeoutMs,
    },
  });
  for (const namespace of model.list('Namespace')) checkAnnotations(namespace, 'Namespace', warnings);
  const standing = standingGroups(model);
  const wanted = [...standing, ...(options.requestedGroups ?? [])];
  const proxyless = new Map<string, ProxylessGroup>();
  for (const group of wanted) if (group.kind === 'proxyless') proxyless.set(nodeGroupKey(group), group);
  for (const key of [...proxyless.keys()].sort()) {
    const group = proxyless.get(key);
    const dialect = group?.dialect ?? 'grpc';
    const built = translateProxyless(catalog, dialect, memos, mesh, group?.namespace);
    groups.set(key, built.resources);
    heldBack.set(key, built.heldBack);
    // Affinity a known client (one with its own dialect, watching now) can't hold is news for the
    // Service's owner, not only a debug fact; the standing group of unknown clients would warn for all.
    if (dialect !== 'grpc') reportLostAffinity(model, built.heldBack, DIALECTS[dialect].label, warnings);
  }
  const edge = translateEdge(model, { ...options, defaults }, warnings);
  groups.set(GROUP_EDGE, groupResources(edge.group, memos.edge));
  const sidecars = new Map<string, SidecarGroup>();
  for (const group of wanted) if (group.kind === 'sidecar') sidecars.set(nodeGroupKey(group), group);
  for (const key of [...sidecars.keys()].sort())
    groups.set(key, translateSidecar(sidecars.get(key) as SidecarGroup, { model, catalog, mesh, memos }));
  const gatewayOptions = {
    address: options.edgeAddress ?? '0.0.0.0',
    privilegedPortOffset: options.privilegedPortOffset ?? PRIVILEGED_PORT_OFFSET,
    allowExternalName: options.allowExternalName ?? false,
    connectTimeoutMs: defaults.connectTimeoutMs,
    ...(options.now ? { now: options.now } : {}),
  };
  const gw = translateGatewayGroups(gatewayFrontend, model, gatewayOptions, memos.gateways, wanted, warnings);
  for (const key of [...gw.groups.keys()].sort()) groups.set(key, gw.groups.get(key) as ResourceSet);
  return {
    groups,
    statuses: mergeStatuses(warnings),
    heldBack,
    servedIngresses: edge.servedIngresses,
    standingGroups: [...standing, ...gw.standing].map(nodeGroupKey),
    gatewayStatuses: sortStatuses(withMeshParents(gw.statuses, mesh.statuses)),
    consumerNamespaces: consumerNamespaces(mesh),
  };
}

function sortStatuses(statuses: GatewayApiStatus[]): GatewayApiStatus[] {
  const key = (s: GatewayApiStatus) => `${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}`;
  return [...statuses].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function reportLostAffinity(
  model: ModelView,
  held: readonly HeldBackPolicy[],
  clients: string,
  into: Statuses,
): void {
  for (const h of held) {
    if (!h.policy.startsWith('hash-on')) continue;
    const service = model.get('Service', h.service.namespace, h.service.name);
    if (!service) continue;
    report(
      into,
      service,
      'UnsupportedByClient',
      `session affinity (${h.policy}) does not hold for ${clients} clients: left out of ${h.cluster} for them`,
    );
  }
}
