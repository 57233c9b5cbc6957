// Whether a pod gets a sidecar. Opt-outs win over opt-ins: a pod labelled "false", a hostNetwork pod (its
// proxy would take the node's ports) and the system namespaces and kxds's own are never injected.
import { INJECT_LABEL, NAMESPACE_INJECT_ENABLED, STATUS_ANNOTATION } from './annotations';
import type { InjectablePod } from './pod';
import type { InjectionSettings } from './settings';
import { PROXY_CONTAINER } from './sidecar-containers';

export type InjectionDecision = { inject: true; reason: string } | { inject: false; reason: string };

function alreadyInjected(pod: InjectablePod): boolean {
  if (pod.metadata?.annotations?.[STATUS_ANNOTATION] !== undefined) return true;
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return all.some((c) => c?.name === PROXY_CONTAINER);
}

export function injectionDecision(
  pod: InjectablePod,
  namespace: { name: string; labels?: Record<string, string> },
  settings: InjectionSettings,
): InjectionDecision {
  const podLabel = pod.metadata?.labels?.[INJECT_LABEL];
  if (alreadyInjected(pod)) return { inject: false, reason: 'already injected' };
  if (podLabel === 'false') return { inject: false, reason: `pod label ${INJECT_LABEL}="false"` };
  if (pod.spec?.hostNetwork === true) return { inject: false, reason: 'hostNetwork pod' };
  if (namespace.name === settings.ownNamespace) {
    return { inject: false, reason: `namespace ${namespace.name} is kxds's own` };
  }
  if (settings.excludedNamespaces.includes(namespace.name)) {
    return { inject: false, reason: `namespace ${namespace.name} is never injected` };
  }
  if (podLabel === 'true') return { inject: true, reason: `pod label ${INJECT_LABEL}="true"` };
  if (namespace.labels?.[INJECT_LABEL] === NAMESPACE_INJECT_ENABLED) {
    return { inject: true, reason: `namespace label ${INJECT_LABEL}=${NAMESPACE_INJECT_ENABLED}` };
  }
  return { inject: false, reason: 'injection not enabled for the pod or its namespace' };
}
