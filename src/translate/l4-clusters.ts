// The cluster of a Service port as L4 proxying uses it: opaque bytes (no HTTP options, no upstream TLS),
// named NAMESPACE/SERVICE/PORT/tcp or .../udp so it stays apart from the HTTP cluster of the same port, with
// the port's endpoints (none for a DNS-discovered ExternalName Service). Shared by Gateway API L4 routes and
// the Ingress edge's TCP/UDP services.
import type { Service, ServicePort } from '../model/k8s';
import type { ModelView } from '../model/store';
import type { IrCluster, IrEndpoints } from '../ir/clusters';
import { edgeClusterForServicePort, hasEndpoints, type ClusterDefaults } from './clusters';
import { localitiesForServicePort } from './endpoints';
import type { FindingReason, Statuses } from './findings';

export type L4ClusterResult =
  | { ok: true; cluster: IrCluster; endpoints?: IrEndpoints }
  | { ok: false; cause: FindingReason; reason: string };

export function l4ServicePortCluster(
  model: ModelView,
  service: Service,
  port: ServicePort,
  warnings: Statuses,
  options: { allowExternalName: boolean; defaults: ClusterDefaults },
): L4ClusterResult {
  const built = edgeClusterForServicePort(service, port, warnings, { ...options, protocolHint: 'tcp' });
  if (!built.ok) return built;
  const transport = (port.protocol ?? 'TCP') === 'UDP' ? 'udp' : 'tcp';
  const cluster: IrCluster = { ...built.cluster, name: `${built.cluster.name}/${transport}` };
  if (cluster.discovery?.kind === 'dns' || !hasEndpoints(service)) return { ok: true, cluster };
  const localities = localitiesForServicePort(
    model.endpointSlicesFor(cluster.ref.namespace, cluster.ref.service),
    cluster.ref,
    warnings,
  );
  return { ok: true, cluster, endpoints: { clusterName: cluster.name, localities } };
}
