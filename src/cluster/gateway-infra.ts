// What the provisioner creates for one Gateway of kxds's class, as plain Kubernetes objects: a ServiceAccount,
// a ConfigMap with the Envoy bootstrap (kxds bootstrap --role edge --gateway NS/NAME), a Deployment running
// Envoy with it, and a Service exposing the Gateway's listener ports (targetPort = the port Envoy binds: the
// listener port, + 10000 below 1024). Every object is owned by the Gateway (ownerReference, so deleting the
// Gateway deletes them) and labelled with it (so kxds finds and deletes what no Gateway owns any more).
// Pure: the Gateway, its settings and the bootstrap text in, objects out.
import { createHash } from 'node:crypto';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kxds-gateway-provisioner';
export const GATEWAY_NAMESPACE_LABEL = 'kxds.io/gateway-namespace';
export const GATEWAY_NAME_LABEL = 'kxds.io/gateway-name';

/** Where a provisioned Envoy finds its xDS client certificate (tls.crt, tls.key, ca.crt of the Secret). */
export const XDS_TLS_DIR = '/etc/kxds-tls';

export type ServiceType = 'LoadBalancer' | 'ClusterIP' | 'NodePort';
export const SERVICE_TYPES: readonly ServiceType[] = ['LoadBalancer', 'ClusterIP', 'NodePort'];

/** What a Gateway's infrastructure looks like: from the GatewayClass parametersRef ConfigMap and defaults. */
export interface GatewayInfraSettings {
  serviceType: ServiceType;
  replicas: number;
  image: string;
  /** A Secret in the Gateway's namespace with the client certificate Envoy presents to kxds (mounted). */
  xdsTlsSecret?: string;
  /** Labels and annotations from the Gateway's spec.infrastructure, put on every object. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface GatewayRef {
  namespace: string;
  name: string;
  uid: string;
  /** The Gateway's listener ports; UDP ones (UDPRoute listeners) are exposed over UDP. */
  ports: GatewayPort[];
}

export interface GatewayPort {
  port: number;
  protocol: 'TCP' | 'UDP';
}

/** Distinct, by number then TCP before UDP (a TCP and a UDP listener may share a number). */
function distinctPorts(ports: readonly GatewayPort[]): GatewayPort[] {
  const byKey = new Map(ports.map((p) => [`${p.port}/${p.protocol}`, p]));
  return [...byKey.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}

export interface InfraObject {
  apiVersion: string;
  kind: 'ServiceAccount' | 'ConfigMap' | 'Deployment' | 'Service';
  metadata: Record<string, unknown> & { name: string; namespace: string };
  [field: string]: unknown;
}

/** The name of every object of a Gateway: a DNS-1035 label, shortened with a hash when too long. */
export function infraName(gateway: string): string {
  const base = `kxds-gw-${gateway.replace(/\./g, '-')}`;
  if (base.length <= 63) return base;
  const hash = createHash('sha256').update(gateway).digest('hex').slice(0, 10);
  return `${base.slice(0, 52).replace(/-+$/, '')}-${hash}`;
}

/** The port Envoy binds for a Gateway listener port (see GatewayOptions.privilegedPortOffset). */
export function bindPort(port: number, privilegedPortOffset: number): number {
  return port < 1024 ? port + privilegedPortOffset : port;
}

export function gatewayInfra(
  gateway: GatewayRef,
  settings: GatewayInfraSettings,
  bootstrapYaml: string,
  privilegedPortOffset: number,
): InfraObject[] {
  const name = infraName(gateway.name);
  const selector = { [GATEWAY_NAMESPACE_LABEL]: gateway.namespace, [GATEWAY_NAME_LABEL]: gateway.name };
  const metadata = {
    name,
    namespace: gateway.namespace,
    labels: { ...settings.labels, ...selector, [MANAGED_BY_LABEL]: MANAGED_BY },
    ...(Object.keys(settings.annotations).length ? { annotations: settings.annotations } : {}),
    ownerReferences: [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        name: gateway.name,
        uid: gateway.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
  const ports = distinctPorts(gateway.ports);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'envoy.yaml': bootstrapYaml } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: settings.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...settings.labels, ...selector } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101 },
            containers: [
              {
                name: 'envoy',
                image: settings.image,
                command: ['envoy'],
                args: [
                  '--config-path',
                  '/etc/envoy/envoy.yaml',
                  '--service-node',
                  '$(POD_NAME)',
                  '--disable-hot-restart',
                ],
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                ports: [
                  ...ports.map((p) => ({
                    containerPort: bindPort(p.port, privilegedPortOffset),
                    ...(p.protocol === 'UDP' ? { protocol: 'UDP' } : {}),
                  })),
                  { name: 'http-health', containerPort: 15021 },
                ],
                readinessProbe: {
                  httpGet: { path: '/healthz/ready', port: 'http-health' },
                  periodSeconds: 5,
                },
                volumeMounts: [
                  { name: 'bootstrap', mountPath: '/etc/envoy', readOnly: true },
                  ...(settings.xdsTlsSecret
                    ? [{ name: 'xds-tls', mountPath: XDS_TLS_DIR, readOnly: true }]
                    : []),
                ],
              },
            ],
            volumes: [
              { name: 'bootstrap', configMap: { name } },
              ...(settings.xdsTlsSecret
                ? [{ name: 'xds-tls', secret: { secretName: settings.xdsTlsSecret } }]
                : []),
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: settings.serviceType,
        selector,
        ports: ports.map((p) => ({
          name: p.protocol === 'UDP' ? `port-${p.port}-udp` : `port-${p.port}`,
          port: p.port,
          targetPort: bindPort(p.port, privilegedPortOffset),
          protocol: p.protocol,
        })),
      },
    },
  ];
}

/**
 * Settings from the GatewayClass parametersRef ConfigMap's data (keys `serviceType`, `replicas`, `image`) over
 * the defaults, and the Gateway's spec.infrastructure labels and annotations. Returns why a value is refused.
 */
export function infraSettings(
  data: Record<string, string> | undefined,
  infrastructure: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined,
  defaults: { image: string; xdsTlsSecret?: string },
): { settings: GatewayInfraSettings; problems: string[] } {
  const problems: string[] = [];
  let serviceType: ServiceType = 'LoadBalancer';
  if (data?.serviceType !== undefined) {
    if ((SERVICE_TYPES as readonly string[]).includes(data.serviceType))
      serviceType = data.serviceType as ServiceType;
    else problems.push(`serviceType "${data.serviceType}": expected one of ${SERVICE_TYPES.join(', ')}`);
  }
  let replicas = 2;
  if (data?.replicas !== undefined) {
    const n = Number(data.replicas);
    if (Number.isInteger(n) && n >= 0 && n <= 100) replicas = n;
    else problems.push(`replicas "${data.replicas}": expected an integer from 0 to 100`);
  }
  return {
    settings: {
      serviceType,
      replicas,
      image: data?.image || defaults.image,
      ...(defaults.xdsTlsSecret ? { xdsTlsSecret: defaults.xdsTlsSecret } : {}),
      labels: infrastructure?.labels ?? {},
      annotations: infrastructure?.annotations ?? {},
    },
    problems,
  };
}
