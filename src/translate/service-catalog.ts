// Every routable Service port with its cluster and endpoints, computed once per translation and shared by
// the proxyless, sidecar and edge translations (they all name clusters NAMESPACE/NAME/PORT).
import type { Service, ServicePort } from '../model/k8s';
import type { ModelView } from '../model/store';
import type { IrCluster, IrEndpoints, TranslationWarning } from './ir';
import { clusterForServicePort, hasEndpoints } from './clusters';
import { localitiesForServicePort } from './endpoints';

export interface CatalogEntry {
  service: Service;
  port: ServicePort;
  /** Index of the port in spec.ports: the first port also answers host names without a port. */
  portIndex: number;
  cluster: IrCluster;
  endpoints: IrEndpoints;
}

export function serviceCatalog(model: ModelView, warnings: TranslationWarning[]): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const service of model.list('Service')) {
    if (!hasEndpoints(service)) continue;
    const ports = (service.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
    ports.forEach((port, portIndex) => {
      const cluster = clusterForServicePort(service, port, warnings);
      const slices = model.endpointSlicesFor(cluster.ref.namespace, cluster.ref.service);
      entries.push({
        service,
        port,
        portIndex,
        cluster,
        endpoints: {
          clusterName: cluster.name,
          localities: localitiesForServicePort(slices, cluster.ref, warnings),
        },
      });
    });
  }
  return entries;
}
