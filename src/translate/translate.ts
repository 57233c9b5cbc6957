// The translation entry point: the whole model -> the resources of every node group, plus typed statuses
// about bad input. Pure and synchronous; it never throws for bad input (a broken object gets a condition and
// is left out or answered with a 503), so one bad Ingress can't take config away from anything else.
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import { mergeStatuses, type ObjectStatus } from '../ir/status';
import type { Statuses } from './findings';
import { GROUP_EDGE, GROUP_PROXYLESS, parseSidecarGroupKey, sidecarGroupKey } from './groups';
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
  /** Groups connected nodes asked for (sidecar variants with a capture mode or an egress list). */
  requestedGroups?: readonly string[];
}

export function translate(model: ModelView, options: TranslateOptions = {}): TranslationResult {
  const warnings: Statuses = [];
  const groups = new Map<string, ResourceSet>();
  const catalog = serviceCatalog(model, warnings);
  groups.set(GROUP_PROXYLESS, translateProxyless(catalog));
  const edge = translateEdge(model, options, warnings);
  groups.set(GROUP_EDGE, edge.resources);
  const sidecarKeys = new Set(
    model.namespaces().map((namespace) => sidecarGroupKey({ namespace, transparent: false })),
  );
  for (const key of options.requestedGroups ?? []) if (parseSidecarGroupKey(key)) sidecarKeys.add(key);
  for (const key of [...sidecarKeys].sort()) {
    const group = parseSidecarGroupKey(key);
    if (group) groups.set(key, translateSidecar(model, group, catalog));
  }
  return { groups, statuses: mergeStatuses(warnings), servedIngresses: edge.servedIngresses };
}
