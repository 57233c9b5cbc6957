// The translation entry point: the whole model -> the resources of every node group, plus warnings about
// bad input. Pure and synchronous; it never throws for bad input (a broken object becomes a warning and is
// left out or answered with a 503), so one bad Ingress can't take config away from anything else.
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import type { TranslationWarning } from './ir';
import { translateProxyless } from './proxyless';
import { translateEdge } from './edge/translate-edge';

/** Node groups share one snapshot each: every edge Envoy, every proxyless client, sidecars per namespace. */
export const GROUP_EDGE = 'edge';
export const GROUP_PROXYLESS = 'proxyless';
export const sidecarGroup = (namespace: string): string => `sidecar/${namespace}`;

export interface TranslationResult {
  groups: Map<string, ResourceSet>;
  warnings: TranslationWarning[];
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
}

export function translate(model: ModelView, options: TranslateOptions = {}): TranslationResult {
  const warnings: TranslationWarning[] = [];
  const groups = new Map<string, ResourceSet>();
  groups.set(GROUP_PROXYLESS, translateProxyless(model, warnings));
  const edge = translateEdge(model, options, warnings);
  groups.set(GROUP_EDGE, edge.resources);
  return { groups, warnings: dedupeWarnings(warnings), servedIngresses: edge.servedIngresses };
}

/** The same problem found by two groups' translations is reported once. */
function dedupeWarnings(warnings: TranslationWarning[]): TranslationWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.object}\u0000${w.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
