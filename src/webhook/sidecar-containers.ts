// The containers and volumes an injected pod gets: the init container that renders the bootstrap with
// `kxds bootstrap --role sidecar`, the Envoy proxy, and (transparent capture only) the iptables init container.
import {
  ADMIN_PORT,
  HEALTH_PATH,
  HEALTH_PORT,
  PROXY_UID,
  SIDECAR_INBOUND_PORT,
  SIDECAR_OUTBOUND_PORT,
  type CaptureMode,
} from '../bootstrap/constants';
import { POD_ENV } from '../bootstrap/pod-identity';
import type { Container, JsonObject, Volume } from './pod';
import type { ResolvedProxyResources } from './proxy-resources';
import type { InjectionSettings } from './settings';

export const PROXY_CONTAINER = 'kxds-proxy';
export const BOOTSTRAP_CONTAINER = 'kxds-init';
export const IPTABLES_CONTAINER = 'kxds-iptables';
export const CONFIG_VOLUME = 'kxds-config';
export const PODINFO_VOLUME = 'kxds-podinfo';
export const TLS_VOLUME = 'kxds-xds-tls';

const CONFIG_DIR = '/etc/kxds';
export const BOOTSTRAP_FILE = `${CONFIG_DIR}/envoy.yaml`;
const PODINFO_DIR = '/etc/kxds-podinfo';
const TLS_DIR = '/etc/kxds-tls';

/** The hardening every kxds container gets; only the iptables container differs (it must be root). */
const RESTRICTED: JsonObject = {
  runAsUser: PROXY_UID,
  runAsGroup: PROXY_UID,
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export interface SidecarPlan {
  capture: CaptureMode;
  resources: ResolvedProxyResources;
  egressNamespaces?: string;
  settings: InjectionSettings;
}

export function sidecarVolumes(settings: InjectionSettings): Volume[] {
  const volumes: Volume[] = [
    // Memory-backed: the bootstrap is small and should not outlive the pod on the node's disk.
    { name: CONFIG_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    {
      name: PODINFO_VOLUME,
      downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
    },
  ];
  if (settings.xdsClientTlsSecret) {
    volumes.push({ name: TLS_VOLUME, secret: { secretName: settings.xdsClientTlsSecret } });
  }
  return volumes;
}

/** The exact `kxds bootstrap` arguments; the pod's identity arrives through the downward API at run time. */
export function bootstrapArgs(plan: SidecarPlan): string[] {
  const args = [
    'bootstrap',
    '--role',
    'sidecar',
    '--xds-server',
    plan.settings.xdsServer,
    '--output-file',
    BOOTSTRAP_FILE,
    '--labels-file',
    `${PODINFO_DIR}/labels`,
    '--capture',
    plan.capture,
    '--max-heap-bytes',
    String(plan.resources.maxHeapBytes),
  ];
  if (plan.egressNamespaces) args.push('--egress-namespaces', plan.egressNamespaces);
  if (plan.settings.xdsClientTlsSecret) {
    args.push(
      '--tls-cert',
      `${TLS_DIR}/tls.crt`,
      '--tls-key',
      `${TLS_DIR}/tls.key`,
      '--tls-ca',
      `${TLS_DIR}/ca.crt`,
    );
  }
  return args;
}

export function bootstrapContainer(plan: SidecarPlan): Container {
  const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  return {
    name: BOOTSTRAP_CONTAINER,
    image: plan.settings.kxdsImage,
    imagePullPolicy: 'IfNotPresent',
    args: bootstrapArgs(plan),
    env: [
      fieldEnv(POD_ENV.name, 'metadata.name'),
      fieldEnv(POD_ENV.namespace, 'metadata.namespace'),
      fieldEnv(POD_ENV.ip, 'status.podIP'),
      fieldEnv(POD_ENV.serviceAccount, 'spec.serviceAccountName'),
    ],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
    securityContext: RESTRICTED,
    volumeMounts: [
      { name: CONFIG_VOLUME, mountPath: CONFIG_DIR },
      { name: PODINFO_VOLUME, mountPath: PODINFO_DIR, readOnly: true },
    ],
  };
}

/**
 * Classic mode's postStart hook: the kubelet starts the next container only after it returns, so the app
 * never starts before Envoy is ready. The Envoy image has bash but neither curl nor wget, hence /dev/tcp.
 */
export function waitForProxyCommand(timeoutSeconds: number): string[] {
  const request = `GET ${HEALTH_PATH} HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n`;
  const script = [
    `for i in $(seq 1 ${timeoutSeconds}); do`,
    `  if (exec 3<>/dev/tcp/127.0.0.1/${HEALTH_PORT} && printf '${request}' >&3 && grep -q LIVE <&3) 2>/dev/null; then exit 0; fi`,
    '  sleep 1',
    'done',
    `echo "kxds: Envoy not ready after ${timeoutSeconds}s" >&2`,
    'exit 1',
  ].join('\n');
  return ['/bin/bash', '-c', script];
}

export function proxyContainer(plan: SidecarPlan, native: boolean): Container {
  const probe = { httpGet: { path: HEALTH_PATH, port: HEALTH_PORT }, timeoutSeconds: 1 };
  const container: Container = {
    name: PROXY_CONTAINER,
    image: plan.settings.envoyImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['envoy'],
    // No hot restart in a pod (it needs shared memory between two Envoys); quick drain on shutdown.
    args: ['-c', BOOTSTRAP_FILE, '--disable-hot-restart', '--drain-time-s', '5', '--log-level', 'warn'],
    ports: [{ name: 'kxds-health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
    readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 3 },
    resources: { requests: { ...plan.resources.requests }, limits: { ...plan.resources.limits } },
    securityContext: RESTRICTED,
    volumeMounts: [{ name: CONFIG_VOLUME, mountPath: CONFIG_DIR, readOnly: true }],
  };
  if (plan.settings.xdsClientTlsSecret) {
    container.volumeMounts?.push({ name: TLS_VOLUME, mountPath: TLS_DIR, readOnly: true });
  }
  if (native) {
    container.restartPolicy = 'Always';
    // A native sidecar counts as started once its startupProbe passes; only then do the app containers start.
    container.startupProbe = {
      ...probe,
      periodSeconds: 1,
      failureThreshold: plan.settings.proxyReadyTimeoutSeconds,
    };
  } else {
    container.lifecycle = {
      postStart: { exec: { command: waitForProxyCommand(plan.settings.proxyReadyTimeoutSeconds) } },
    };
  }
  return container;
}

/**
 * Transparent capture: inbound TCP goes to Envoy's 15006, outbound to 15001. Envoy's own traffic (uid 1337),
 * loopback and the health port are left alone, or Envoy would loop into itself and probes would be captured.
 */
export function iptablesRules(): string[] {
  const nat = 'iptables -t nat';
  return [
    `${nat} -N KXDS_INBOUND`,
    `${nat} -A KXDS_INBOUND -p tcp --dport ${HEALTH_PORT} -j RETURN`,
    `${nat} -A KXDS_INBOUND -p tcp --dport ${ADMIN_PORT.sidecar} -j RETURN`,
    `${nat} -A KXDS_INBOUND -p tcp -j REDIRECT --to-ports ${SIDECAR_INBOUND_PORT}`,
    `${nat} -A PREROUTING -p tcp -j KXDS_INBOUND`,
    `${nat} -N KXDS_OUTBOUND`,
    `${nat} -A KXDS_OUTBOUND -m owner --uid-owner ${PROXY_UID} -j RETURN`,
    `${nat} -A KXDS_OUTBOUND -d 127.0.0.0/8 -j RETURN`,
    `${nat} -A KXDS_OUTBOUND -p tcp -j REDIRECT --to-ports ${SIDECAR_OUTBOUND_PORT}`,
    `${nat} -A OUTPUT -p tcp -j KXDS_OUTBOUND`,
  ];
}

export function iptablesContainer(settings: InjectionSettings): Container {
  return {
    name: IPTABLES_CONTAINER,
    image: settings.iptablesImage ?? settings.kxdsImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', ['set -e', ...iptablesRules()].join('\n')],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    // Rewriting the pod's netfilter tables needs root with NET_ADMIN/NET_RAW; iptables also writes its lock
    // file under /run, hence a writable root filesystem for this short-lived container only.
    securityContext: {
      runAsUser: 0,
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] },
    },
  };
}
