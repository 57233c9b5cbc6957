// Makes a Kubernetes object as the API sent it into the plain model object kxds keeps: kind and apiVersion
// filled in (list items lack them), and the fields nobody reads dropped to save memory in big clusters:
// managedFields and the last-applied annotation everywhere, and everything of a Pod except what sidecars and
// proxyless clients need (labels, annotations, service account, node, container ports, IPs, phase, ready),
// and every key of a ConfigMap but `ca.crt` (kxds reads ConfigMaps as BackendTLSPolicy CA bundles, and
// clusters hold many large ConfigMaps), except the ConfigMaps named to be kept whole (the TCP/UDP services
// ConfigMaps of --tcp-services-configmap / --udp-services-configmap). Gateway API objects keep their status: the status writer compares it.
// A CustomResourceDefinition keeps its group, kind and bundle-version annotation, never its schemas.
// It changes the object in place, so the informer's cache holds the slim version too.
import { BUNDLE_VERSION_ANNOTATION } from '../model/gateway-api';
import type { WatchedKind, WatchedObject } from '../model/k8s';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Loose = Record<string, unknown>;

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function slimObject(
  raw: unknown,
  kind: WatchedKind,
  apiVersion: string,
  keepConfigMapData: ReadonlySet<string> = new Set(),
): WatchedObject {
  if (!isRecord(raw) || !isRecord(raw['metadata']) || typeof raw['metadata']['name'] !== 'string') {
    throw new Error(`${kind} without metadata.name`);
  }
  raw['kind'] = kind;
  raw['apiVersion'] = apiVersion;
  const metadata = raw['metadata'];
  delete metadata['managedFields'];
  if (isRecord(metadata['annotations'])) delete metadata['annotations'][LAST_APPLIED];
  if (kind === 'Pod') slimPod(raw);
  const key = `${String(metadata['namespace'] ?? '')}/${String(metadata['name'])}`;
  if (kind === 'ConfigMap' && !keepConfigMapData.has(key)) slimConfigMap(raw);
  if (kind === 'CustomResourceDefinition') slimCustomResourceDefinition(raw);
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

/** The key BackendTLSPolicy's caCertificateRefs read (Gateway API: "the key ca.crt"). */
export const CA_BUNDLE_KEY = 'ca.crt';

function slimConfigMap(configMap: Loose): void {
  const data = isRecord(configMap['data']) ? configMap['data'] : {};
  delete configMap['binaryData'];
  if (typeof data[CA_BUNDLE_KEY] === 'string') configMap['data'] = { [CA_BUNDLE_KEY]: data[CA_BUNDLE_KEY] };
  else delete configMap['data'];
}

/** What SupportedVersion needs of a CRD (a Gateway API CRD's schemas are megabytes). */
export function slimCustomResourceDefinition(crd: Loose): void {
  const spec = isRecord(crd['spec']) ? crd['spec'] : {};
  const names = isRecord(spec['names']) ? pick(spec['names'], ['kind', 'plural']) : {};
  crd['spec'] = { ...pick(spec, ['group']), names };
  delete crd['status'];
  const metadata = isRecord(crd['metadata']) ? crd['metadata'] : {};
  const annotations = isRecord(metadata['annotations']) ? metadata['annotations'] : {};
  crd['metadata'] = {
    ...metadata,
    annotations: pick(annotations, [BUNDLE_VERSION_ANNOTATION]),
  };
}

function pick(from: Loose, keys: readonly string[]): Loose {
  const out: Loose = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}
