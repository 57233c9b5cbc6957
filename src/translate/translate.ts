// The translation entry point: the whole model -> the resources of every node group, plus warnings about
// bad input and, per group, the Service-level policies its dialect could not take. Pure and synchronous;
// it never throws for bad input (a broken object becomes a warning and is left out or answered with a
// 503), so one bad Ingress can't take config away from anything else.
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import type { HeldBackPolicy, TranslationWarning } from './ir';
import {
  GROUP_EDGE,
  GROUP_PROXYLESS,
  parseProxylessGroupKey,
  parseSidecarGroupKey,
  sidecarGroupKey,
} from './groups';
import { translateProxyless } from './proxyless';
import { serviceCatalog } from './service-catalog';
import { translateSidecar } from './sidecar/sidecar';
import { translateEdge } from './edge/translate-edge';
import { DIALECTS } from './dialects/dialect';
import { TranslationMemos } from './translation-memos';

export { GROUP_EDGE, GROUP_PROXYLESS };

export interface TranslationResult {
  groups: Map<string, ResourceSet>;
  warnings: TranslationWarning[];
  /** Per node group, what its dialect could not take (absent or empty: nothing held back). */
  heldBack: Map<string, HeldBackPolicy[]>;
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
  /** Upstream connect timeout of every cluster unless its Service sets kxds.io/connect-timeout (5 s). */
  connectTimeoutMs?: number;
  /** Groups connected nodes asked for (sidecar variants, proxyless dialects). */
  requestedGroups?: readonly string[];
}

/**
 * One translation pipeline's translator: it owns the memos (see memo.ts) that make an unchanged object
 * yield the same built resources across builds, and sweeps them after each build, so they hold only what
 * the current model references.
 */
export class Translator {
  private readonly memos = new TranslationMemos();

  translate(model: ModelView, options: TranslateOptions = {}): TranslationResult {
    this.memos.begin();
    const result = translateWith(this.memos, model, options);
    this.memos.sweep();
    return result;
  }

  /** Memo entries held now (a test shows they follow the model, not its history). */
  memoSize(): number {
    return this.memos.size();
  }
}

/** A one-off translation (tests, kxds validate): a fresh translator, nothing kept. */
export function translate(model: ModelView, options: TranslateOptions = {}): TranslationResult {
  return new Translator().translate(model, options);
}

function translateWith(
  memos: TranslationMemos,
  model: ModelView,
  options: TranslateOptions,
): TranslationResult {
  const warnings: TranslationWarning[] = [];
  const groups = new Map<string, ResourceSet>();
  const heldBack = new Map<string, HeldBackPolicy[]>();
  const defaults = { connectTimeoutMs: options.connectTimeoutMs ?? 5000 };
  const catalog = serviceCatalog(model, warnings, defaults, memos);
  const requested = options.requestedGroups ?? [];
  const proxylessKeys = new Set([GROUP_PROXYLESS, ...requested.filter((k) => parseProxylessGroupKey(k))]);
  for (const key of [...proxylessKeys].sort()) {
    const dialect = parseProxylessGroupKey(key) ?? 'grpc';
    const proxyless = translateProxyless(catalog, dialect, memos);
    groups.set(key, proxyless.resources);
    heldBack.set(key, proxyless.heldBack);
    // Affinity a known client can't hold is news for the Service's owner, not only a debug fact. (The
    // always-built group of unknown clients would make every sticky Service warn, client or not.)
    if (key !== GROUP_PROXYLESS && requested.includes(key))
      warnings.push(...affinityWarnings(proxyless.heldBack, DIALECTS[dialect].label));
  }
  const edge = translateEdge(model, { ...options, defaults }, warnings, memos);
  groups.set(GROUP_EDGE, edge.resources);
  const sidecarKeys = new Set(
    model.namespaces().map((namespace) => sidecarGroupKey({ namespace, transparent: false })),
  );
  for (const key of requested) if (parseSidecarGroupKey(key)) sidecarKeys.add(key);
  for (const key of [...sidecarKeys].sort()) {
    const group = parseSidecarGroupKey(key);
    if (group) groups.set(key, translateSidecar(model, group, catalog, memos));
  }
  return { groups, warnings: dedupeWarnings(warnings), heldBack, servedIngresses: edge.servedIngresses };
}

function affinityWarnings(held: readonly HeldBackPolicy[], clients: string): TranslationWarning[] {
  return held
    .filter((h) => h.policy.startsWith('hash-on'))
    .map((h) => ({
      object: h.object,
      reason: `session affinity (${h.policy}) does not hold for ${clients} clients: left out of ${h.cluster} for them`,
    }));
}

/** The same problem found twice (e.g. by two groups) is reported once. */
function dedupeWarnings(warnings: TranslationWarning[]): TranslationWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.object}\u0000${w.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
