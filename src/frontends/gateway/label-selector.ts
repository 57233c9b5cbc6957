// Kubernetes label selectors (matchLabels and matchExpressions In/NotIn/Exists/DoesNotExist) and the "from"
// namespace policies of allowedRoutes and allowedListeners built on them. An unknown operator or "from" value
// matches nothing: access control fails closed.
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

/** A "from" namespace policy (allowedRoutes.namespaces, allowedListeners.namespaces). */
export interface NamespacePolicy {
  from?: string;
  selector?: unknown;
}

/**
 * Whether `candidate` is admitted by the policy of an object in `ownNamespace`: All, Same, Selector on the
 * candidate namespace's labels; None, an unknown value, or Selector without selector admit nothing.
 */
export function namespaceAdmitted(
  model: ModelView,
  policy: NamespacePolicy | undefined,
  defaultFrom: 'Same' | 'None',
  ownNamespace: string,
  candidate: string,
): boolean {
  switch (policy?.from ?? defaultFrom) {
    case 'All':
      return true;
    case 'Same':
      return candidate === ownNamespace;
    case 'Selector':
      return (
        policy?.selector !== undefined &&
        selectorMatches(policy.selector as LabelSelector, namespaceLabels(model, candidate))
      );
    default:
      return false;
  }
}
