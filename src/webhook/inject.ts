// Sidecar injection as a pure function: a pod in, a decision out (skip, refuse, or the injected pod and
// what was added). It never mutates its input and is idempotent: an injected pod is skipped.
import type { CaptureMode } from '../bootstrap/constants';
import { CAPTURE_ANNOTATION, EGRESS_NAMESPACES_ANNOTATION, STATUS_ANNOTATION } from './annotations';
import { podRef, type InjectablePod } from './pod';
import { injectionDecision } from './policy';
import { resolveProxyResources } from './proxy-resources';
import type { InjectionSettings } from './settings';
import {
  bootstrapContainer,
  iptablesContainer,
  proxyContainer,
  sidecarVolumes,
  type SidecarPlan,
} from './sidecar-containers';

/** What the kxds.io/status annotation records. */
export interface InjectionStatus {
  mode: 'native' | 'classic';
  capture: CaptureMode;
  initContainers: string[];
  containers: string[];
  volumes: string[];
}

export type InjectionResult =
  | { action: 'skip'; reason: string }
  | { action: 'refuse'; reason: string }
  | { action: 'inject'; pod: InjectablePod; status: InjectionStatus; warnings: string[] };

export interface NamespaceInfo {
  name: string;
  labels?: Record<string, string>;
}

function captureMode(annotations: Record<string, string>): CaptureMode | { error: string } {
  const value = annotations[CAPTURE_ANNOTATION];
  if (value === undefined || value === 'explicit') return 'explicit';
  if (value === 'iptables') return 'iptables';
  return { error: `annotation ${CAPTURE_ANNOTATION}: "${value}" is not one of "iptables", "explicit"` };
}

function isJobPod(pod: InjectablePod): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((ref) => ref?.kind === 'Job');
}

function namesOf(list: { name: string }[]): string[] {
  return list.map((c) => c.name);
}

/** The API server would reject duplicate names with a message that does not mention kxds; say it here. */
function nameClash(
  pod: InjectablePod,
  containers: { name: string }[],
  volumes: { name: string }[],
): string | undefined {
  const taken = new Set(namesOf([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]));
  const container = containers.find((c) => taken.has(c.name));
  if (container) return `container name ${container.name}`;
  const takenVolumes = new Set(namesOf(pod.spec?.volumes ?? []));
  const volume = volumes.find((v) => takenVolumes.has(v.name));
  return volume ? `volume name ${volume.name}` : undefined;
}

export function injectSidecar(
  pod: InjectablePod,
  namespace: NamespaceInfo,
  settings: InjectionSettings,
): InjectionResult {
  const ref = podRef(pod, namespace.name);
  if (!Array.isArray(pod.spec?.containers)) {
    return { action: 'refuse', reason: `${ref}: spec.containers is not a list` };
  }
  const decision = injectionDecision(pod, namespace, settings);
  if (!decision.inject) return { action: 'skip', reason: decision.reason };

  const annotations = pod.metadata?.annotations ?? {};
  const capture = captureMode(annotations);
  const resources = resolveProxyResources(annotations, settings.proxyResources);
  const errors = [
    ...(typeof capture === 'object' ? [capture.error] : []),
    ...(resources.valid ? [] : resources.errors),
  ];
  if (typeof capture === 'object' || !resources.valid) {
    return { action: 'refuse', reason: `${ref}: ${errors.join('; ')}` };
  }

  const plan: SidecarPlan = {
    capture,
    resources: resources.value,
    egressNamespaces: annotations[EGRESS_NAMESPACES_ANNOTATION],
    settings,
  };
  const native = settings.nativeSidecars;
  const ours = [
    ...(capture === 'iptables' ? [iptablesContainer(settings)] : []),
    bootstrapContainer(plan),
    ...(native ? [proxyContainer(plan, true)] : []),
  ];
  const proxyFirst = native ? [] : [proxyContainer(plan, false)];
  const volumes = sidecarVolumes(settings);
  const clash = nameClash(pod, [...ours, ...proxyFirst], volumes);
  if (clash)
    return { action: 'refuse', reason: `${ref}: ${clash} is already used by the pod; kxds needs that name` };
  const status: InjectionStatus = {
    mode: native ? 'native' : 'classic',
    capture,
    initContainers: namesOf(ours),
    containers: namesOf(proxyFirst),
    volumes: namesOf(volumes),
  };

  const injected = structuredClone(pod);
  const metadata = (injected.metadata ??= {});
  metadata.annotations = { ...(metadata.annotations ?? {}), [STATUS_ANNOTATION]: JSON.stringify(status) };
  const spec = injected.spec as NonNullable<InjectablePod['spec']>;
  // Ours run first: user init containers then already have their proxy (native) and their bootstrap.
  spec.initContainers = [...ours, ...(spec.initContainers ?? [])];
  spec.containers = [...proxyFirst, ...(spec.containers ?? [])];
  spec.volumes = [...(spec.volumes ?? []), ...volumes];

  const warnings: string[] = [];
  if (!native && isJobPod(pod)) {
    warnings.push(
      `${ref}: classic sidecar in a Job pod: the Job completes only when the app stops Envoy with ` +
        'POST http://127.0.0.1:15000/quitquitquit as it exits (native sidecars need nothing)',
    );
  }
  if (capture === 'iptables' && !native && (pod.spec?.initContainers?.length ?? 0) > 0) {
    warnings.push(
      `${ref}: with iptables capture in classic mode, init containers run before Envoy and have no network`,
    );
  }
  return { action: 'inject', pod: injected, status, warnings };
}
