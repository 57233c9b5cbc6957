// The translation entry point: the whole model -> the resources of every node group, plus typed statuses
// about bad input. Pure and synchronous; it never throws for bad input (a broken object gets a condition and
// is left out or answered with a 503), so one bad Ingress can't take config away from anything else.
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import { mergeStatuses, type ObjectStatus } from '../ir/status';
import type { Statuses } from './findings';
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
import { translateSidecar } from './sidecar/sidecar';
import { translateEdge } from './edge/translate-edge';

export { GROUP_EDGE, GROUP_PROXYLESS };

export interface TranslationResult {
  groups: Map<string, ResourceSet>;
  /** One per object with problems, each finding once (see src/ir/status.ts). */
  statuses: ObjectStatus[];
  /** "ns/name" of every Ingress the edge serves, sorted: the Ingress status writer updates these. */
  servedIngresses: string[];
  /** Keys of the groups the model itself calls for (see standingGroups); the rest were requested. */
  standingGroups: string[];
}

export interface TranslateOptions {
  /** The IngressClass name this controller serves (default "kxds"). */
  ingressClass?: string;
  /** Edge listener ports. */
  edgeHttpPort?: number;
  edgeHttpsPort?: number;
  /** Address the edge listeners bind (default 0.0.0.0). */
  edgeAddress?: string;
  /** Serve ExternalName Services as DNS clusters at the edge (they can reach outside the cluster). */
  allowExternalName?: boolean;
  /** Groups connected nodes watch; built besides the standing ones (sidecar variants, other namespaces). */
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

export function translate(model: ModelView, options: TranslateOptions = {}): TranslationResult {
  const warnings: Statuses = [];
  const groups = new Map<string, ResourceSet>();
  const catalog = serviceCatalog(model, warnings);
  groups.set(GROUP_PROXYLESS, translateProxyless(catalog));
  const edge = translateEdge(model, options, warnings);
  groups.set(GROUP_EDGE, edge.resources);
  const standing = standingGroups(model);
  const sidecars = new Map<string, SidecarGroup>();
  for (const group of [...standing, ...(options.requestedGroups ?? [])])
    if (group.kind === 'sidecar') sidecars.set(nodeGroupKey(group), group);
  for (const key of [...sidecars.keys()].sort())
    groups.set(key, translateSidecar(model, sidecars.get(key) as SidecarGroup, catalog));
  return {
    groups,
    statuses: mergeStatuses(warnings),
    servedIngresses: edge.servedIngresses,
    standingGroups: standing.map(nodeGroupKey),
  };
}
