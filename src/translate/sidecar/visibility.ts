// Which Services a sidecar sees: all of them, unless the pod (node metadata) or its Namespace
// (annotation kxds.io/egress-namespaces) lists namespaces; a sidecar always sees its own namespace.
import type { ModelView } from '../../model/store';
import { parseEgressList, type SidecarGroup } from '../../xds/node-group';
import type { CatalogEntry } from '../service-catalog';

export const EGRESS_ANNOTATION = 'kxds.io/egress-namespaces';

export function visibleEntries(
  model: ModelView,
  group: SidecarGroup,
  catalog: readonly CatalogEntry[],
): CatalogEntry[] {
  const egress =
    group.egress ??
    parseEgressList(
      model.get('Namespace', undefined, group.namespace)?.metadata.annotations?.[EGRESS_ANNOTATION],
    );
  if (!egress) return [...catalog];
  const allowed = new Set([...egress, group.namespace]);
  return catalog.filter((e) => allowed.has(e.cluster.ref.namespace));
}
