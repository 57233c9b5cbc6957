// The mesh view of the Service catalog for one dialect: every Service port's cluster shaped for what that
// data plane may receive (hold-back.ts), and what was held back. This IR is what the proxyless translation
// builds from, and what the mesh golden seam shows.
import type { HeldBackPolicy, IrCluster } from '../../ir/clusters';
import type { CatalogEntry } from '../service-catalog';
import type { TranslationMemos } from '../translation-memos';
import { DIALECTS, type DialectId } from './dialect';
import { shapeCluster } from './hold-back';

export interface ShapedEntry {
  entry: CatalogEntry;
  /** The entry's cluster as this dialect receives it (the entry's own object for Envoy). */
  cluster: IrCluster;
}

export interface ShapedCatalog {
  entries: ShapedEntry[];
  heldBack: HeldBackPolicy[];
}

export function shapeCatalog(
  catalog: readonly CatalogEntry[],
  dialect: DialectId,
  memos: TranslationMemos,
): ShapedCatalog {
  const entries: ShapedEntry[] = [];
  const heldBack: HeldBackPolicy[] = [];
  for (const entry of catalog) {
    // Memoized so an unchanged Service keeps its shaped object, and what is built from it, across builds.
    const shaped = memos.shapedClusters.get(`${dialect}\u0000${entry.cluster.name}`, [entry.cluster], () =>
      shapeCluster(entry.cluster, DIALECTS[dialect]),
    );
    entries.push({ entry, cluster: shaped.cluster });
    heldBack.push(...shaped.heldBack);
  }
  return { entries, heldBack };
}
