// TCP and UDP services for Ingress users, from ConfigMaps in ingress-nginx's --tcp-services-configmap /
// --udp-services-configmap format: each key a port the edge listens on, each value
// "NAMESPACE/SERVICE:PORT" (the Service port by number or name), proxied whole (tcp_proxy, udp_proxy) to
// that port's endpoints. ingress-nginx's optional ":PROXY" suffixes (the first: read the PROXY protocol from
// the client; the second: send it to the backend) are refused with a finding: kxds implements neither here.
// A bad entry (a key that is no port, a port claimed twice or by an edge listener, a malformed value, a
// missing Service or port, a UDP entry on a TCP-only port) gets a finding naming the ConfigMap and the key;
// the other entries are served.
import type { ConfigMap } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import type { IrCluster, IrEndpoints } from '../../ir/clusters';
import type { IrTcpListener, IrUdpListener } from '../../ir/listeners';
import type { ClusterDefaults } from '../../translate/clusters';
import { report, type FindingReason, type Statuses } from '../../translate/findings';
import { l4ServicePortCluster } from '../../translate/l4-clusters';

export interface ServicesConfigMapsOptions {
  /** NAMESPACE/NAME of the TCP services ConfigMap (--tcp-services-configmap). */
  tcp?: string;
  /** NAMESPACE/NAME of the UDP services ConfigMap (--udp-services-configmap). */
  udp?: string;
  address: string;
  /** TCP ports the edge's own listeners hold (HTTP, HTTPS), with their names. */
  takenTcpPorts: ReadonlyMap<number, string>;
  allowExternalName: boolean;
  defaults: ClusterDefaults;
}

export interface ServicesFromConfigMaps {
  listeners: (IrTcpListener | IrUdpListener)[];
  clusters: IrCluster[];
  endpoints: IrEndpoints[];
}

const VALUE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?):([^:]+)(?::(.*))?$/;

export function servicesFromConfigMaps(
  model: ModelView,
  options: ServicesConfigMapsOptions,
  warnings: Statuses,
): ServicesFromConfigMaps {
  const out: ServicesFromConfigMaps = { listeners: [], clusters: [], endpoints: [] };
  for (const transport of ['TCP', 'UDP'] as const) {
    const ref = transport === 'TCP' ? options.tcp : options.udp;
    if (!ref) continue;
    const [namespace = '', name = ''] = ref.split('/');
    const configMap = model.get('ConfigMap', namespace, name);
    if (!configMap) {
      const missing: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name } };
      const flag = `--${transport.toLowerCase()}-services-configmap`;
      report(
        warnings,
        missing,
        'BackendNotFound',
        `${flag} names ConfigMap ${ref}, which does not exist; no ${transport} services`,
      );
      continue;
    }
    const taken = new Map(transport === 'TCP' ? options.takenTcpPorts : []);
    for (const key of Object.keys(configMap.data ?? {}).sort()) {
      const problem = (reason: FindingReason, message: string): void =>
        report(warnings, configMap, reason, `ConfigMap ${ref} key "${key}": ${message}; entry ignored`);
      const port = Number(key);
      if (!/^\d+$/.test(key) || port < 1 || port > 65535) {
        problem('UnsupportedValue', 'not a port number (1-65535)');
        continue;
      }
      const holder = taken.get(port);
      if (holder !== undefined) {
        problem('PortConflict', `${transport} port ${port} is already taken by ${holder}`);
        continue;
      }
      const entry = serviceEntry(model, configMap.data?.[key] ?? '', transport, options, warnings);
      if (!entry.ok) {
        problem(entry.cause, entry.reason);
        continue;
      }
      taken.set(port, `ConfigMap ${ref} key "${key}"`);
      // Two ports may forward to one Service port: one cluster.
      if (!out.clusters.some((c) => c.name === entry.cluster.name)) {
        out.clusters.push(entry.cluster);
        if (entry.endpoints) out.endpoints.push(entry.endpoints);
      }
      const backends = [{ cluster: entry.cluster.name, weight: 1 }];
      const base = { address: options.address, port };
      out.listeners.push(
        transport === 'TCP'
          ? {
              kind: 'tcp',
              name: `edge-tcp-${port}`,
              ...base,
              routes: [{ name: `tcp-services/${port}`, backends }],
            }
          : { kind: 'udp', name: `edge-udp-${port}`, ...base, backends },
      );
    }
  }
  return out;
}

function serviceEntry(
  model: ModelView,
  value: string,
  transport: 'TCP' | 'UDP',
  options: ServicesConfigMapsOptions,
  warnings: Statuses,
):
  | { ok: true; cluster: IrCluster; endpoints?: IrEndpoints }
  | { ok: false; cause: FindingReason; reason: string } {
  const m = VALUE.exec(value.trim());
  if (!m) return { ok: false, cause: 'UnsupportedValue', reason: `"${value}" is not NAMESPACE/SERVICE:PORT` };
  const [, namespace = '', , name = '', , wanted = '', suffixes] = m;
  if (suffixes !== undefined)
    return {
      ok: false,
      cause: 'UnsupportedValue',
      reason: `the PROXY protocol suffixes (":${suffixes}") are not supported by kxds`,
    };
  const service = model.get('Service', namespace, name);
  if (!service)
    return { ok: false, cause: 'BackendNotFound', reason: `Service ${namespace}/${name} not found` };
  const ports = service.spec.ports ?? [];
  const named = ports.filter((p) => String(p.port) === wanted || p.name === wanted);
  const port = named.find((p) => (p.protocol ?? 'TCP') === transport);
  if (!port) {
    const other = named[0];
    return {
      ok: false,
      cause: other ? 'UnsupportedBackend' : 'BackendNotFound',
      reason: other
        ? `Service ${namespace}/${name} port ${wanted} is ${other.protocol ?? 'TCP'} only, not ${transport}`
        : `Service ${namespace}/${name} has no port ${wanted}`,
    };
  }
  return l4ServicePortCluster(model, service, port, warnings, {
    allowExternalName: options.allowExternalName,
    defaults: options.defaults,
  });
}
