// Kubernetes label selectors (matchLabels and matchExpressions In/NotIn/Exists/DoesNotExist), as
// allowedRoutes and allowedListeners use them on Namespaces. An unknown operator matches nothing: access
// control fails closed.
import type { ModelView } from '../../model/store';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        return has && values.includes(labels[e.key] as string);
      case 'NotIn':
        return !has || !values.includes(labels[e.key] as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/**
 * A namespace's labels, with the `kubernetes.io/metadata.name` label the API server always sets (a
 * Namespace absent from the model, e.g. in manifests mode, still has its name label).
 */
export function namespaceLabels(model: ModelView, namespace: string): Record<string, string> {
  const labels = model.get('Namespace', undefined, namespace)?.metadata.labels ?? {};
  return { ...labels, 'kubernetes.io/metadata.name': namespace };
}
