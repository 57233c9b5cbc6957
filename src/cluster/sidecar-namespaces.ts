// The app namespaces whose injected sidecars need their namespace's client certificate: every namespace
// labelled kxds.io/inject=enabled, and the namespace of every pod that opts in by its own label or already
// carries a sidecar kxds injected. kxds's own namespace never has sidecars.
import type { ModelStore } from '../model/store';
import { INJECT_LABEL, NAMESPACE_INJECT_ENABLED, STATUS_ANNOTATION } from '../webhook/annotations';

export function sidecarNamespaces(store: Pick<ModelStore, 'list'>, ownNamespace: string): string[] {
  const namespaces = new Set<string>();
  for (const ns of store.list('Namespace'))
    if (ns.metadata.labels?.[INJECT_LABEL] === NAMESPACE_INJECT_ENABLED) namespaces.add(ns.metadata.name);
  for (const pod of store.list('Pod')) {
    const { labels, annotations, namespace } = pod.metadata;
    if (namespace && (labels?.[INJECT_LABEL] === 'true' || annotations?.[STATUS_ANNOTATION] !== undefined))
      namespaces.add(namespace);
  }
  namespaces.delete(ownNamespace);
  return [...namespaces].sort();
}
