// The parts of a Pod the injector reads and writes. Anything else in the object passes through untouched,
// so the JSONPatch diff only ever touches what injection changed.

export type JsonObject = Record<string, unknown>;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
  timeoutSeconds?: number;
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: JsonObject;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { postStart?: { exec: { command: string[] } } };
  /** "Always" on an init container makes it a native sidecar (Kubernetes 1.29+). */
  restartPolicy?: 'Always';
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  [key: string]: unknown;
}

export interface InjectablePod {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string }[];
    [key: string]: unknown;
  };
  spec?: {
    containers?: Container[];
    initContainers?: Container[];
    volumes?: Volume[];
    hostNetwork?: boolean;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** "Pod ns/name" for messages and logs; a pod created from generateName has no name yet. */
export function podRef(pod: InjectablePod, namespace: string): string {
  const meta = pod.metadata ?? {};
  const name = meta.name || (meta.generateName ? `${meta.generateName}*` : '<unnamed>');
  return `Pod ${namespace}/${name}`;
}
