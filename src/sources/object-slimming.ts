// Makes a Kubernetes object as the API sent it into the plain model object kxds keeps: kind and apiVersion
// filled in (list items lack them), and the fields nobody reads dropped to save memory in big clusters:
// managedFields and the last-applied annotation everywhere, and everything of a Pod except what sidecars and
// proxyless clients need (labels, annotations, service account, node, container ports, IPs, phase, ready).
// It changes the object in place, so the informer's cache holds the slim version too.
import type { WatchedKind, WatchedObject } from '../model/k8s';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Loose = Record<string, unknown>;

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function slimObject(raw: unknown, kind: WatchedKind, apiVersion: string): WatchedObject {
  if (!isRecord(raw) || !isRecord(raw['metadata']) || typeof raw['metadata']['name'] !== 'string') {
    throw new Error(`${kind} without metadata.name`);
  }
  raw['kind'] = kind;
  raw['apiVersion'] = apiVersion;
  const metadata = raw['metadata'];
  delete metadata['managedFields'];
  if (isRecord(metadata['annotations'])) delete metadata['annotations'][LAST_APPLIED];
  if (kind === 'Pod') slimPod(raw);
  return raw as unknown as WatchedObject;
}

function slimPod(pod: Loose): void {
  const spec = isRecord(pod['spec']) ? pod['spec'] : {};
  const containers = Array.isArray(spec['containers']) ? spec['containers'] : [];
  pod['spec'] = {
    ...pick(spec, ['hostNetwork', 'serviceAccountName', 'nodeName']),
    containers: containers.filter(isRecord).map((c) => pick(c, ['name', 'ports'])),
  };
  const status = isRecord(pod['status']) ? pod['status'] : undefined;
  if (status) {
    const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];
    pod['status'] = {
      ...pick(status, ['phase', 'podIP', 'podIPs', 'hostIP']),
      conditions: conditions
        .filter((c) => isRecord(c) && c['type'] === 'Ready')
        .map((c) => pick(c as Loose, ['type', 'status'])),
    };
  }
}

function pick(from: Loose, keys: readonly string[]): Loose {
  const out: Loose = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}
