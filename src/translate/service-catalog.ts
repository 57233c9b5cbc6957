// Every routable Service port with its cluster and endpoints, computed once per translation and shared by
// the proxyless, sidecar and edge translations (they all name clusters NAMESPACE/NAME/PORT).
//
// Entries are memoized by object identity (memo.ts): a Service's IrClusters are rebuilt only when the
// Service object changes, its IrEndpoints only when the Service or one of its EndpointSlices does. Builders
// downstream memoize on those IR objects (see built-resources.ts), so an unchanged Service yields the very
// same typed Envoy objects and the snapshot keeps their bytes without encoding or hashing them again.
import type { EndpointSlice, Service, ServicePort } from '../model/k8s';
import type { ModelView } from '../model/store';
import type { IrCluster, IrEndpoints } from '../ir/clusters';
import type { Statuses } from './findings';
import { clusterForServicePort, hasEndpoints, type ClusterDefaults } from './clusters';
import { localitiesForServicePort } from './endpoints';
import type { TranslationMemos } from './translation-memos';
import { checkAnnotations } from './annotation-check';
import { isolated } from './isolate';

export interface CatalogEntry {
  service: Service;
  port: ServicePort;
  /** Index of the port in spec.ports: the first port also answers host names without a port. */
  portIndex: number;
  /** The Service has this one (TCP) port only: it may be dialled without a port. */
  onlyPort: boolean;
  cluster: IrCluster;
  endpoints: IrEndpoints;
}

export interface ServicePorts {
  ports: { port: ServicePort; portIndex: number; cluster: IrCluster }[];
  warnings: Statuses;
}

export interface ServiceEntries {
  entries: CatalogEntry[];
  warnings: Statuses;
}

function servicePorts(service: Service, defaults: ClusterDefaults): ServicePorts {
  const warnings: Statuses = [];
  checkAnnotations(service, 'Service', warnings);
  const ports = (service.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
  return {
    ports: ports.map((port, portIndex) => ({
      port,
      portIndex,
      cluster: clusterForServicePort(service, port, warnings, defaults),
    })),
    warnings,
  };
}

function serviceEntries(
  service: Service,
  ports: ServicePorts,
  slices: readonly EndpointSlice[],
): ServiceEntries {
  const warnings: Statuses = [];
  const entries = ports.ports.map(({ port, portIndex, cluster }) => ({
    service,
    port,
    portIndex,
    onlyPort: ports.ports.length === 1,
    cluster,
    endpoints: {
      clusterName: cluster.name,
      localities: localitiesForServicePort(slices, cluster.ref, warnings),
    },
  }));
  return { entries, warnings };
}

export function serviceCatalog(
  model: ModelView,
  warnings: Statuses,
  defaults: ClusterDefaults,
  memos: TranslationMemos,
): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const service of model.list('Service')) {
    const built = isolated(warnings, service, () =>
      serviceEntriesOf(model, service, defaults, memos, warnings),
    );
    if (built) entries.push(...built);
  }
  return entries;
}

function serviceEntriesOf(
  model: ModelView,
  service: Service,
  defaults: ClusterDefaults,
  memos: TranslationMemos,
  warnings: Statuses,
): CatalogEntry[] {
  if (!hasEndpoints(service)) return [];
  const key = `${service.metadata.namespace ?? 'default'}/${service.metadata.name}`;
  const ports = memos.catalogPorts.get(key, [service, defaults.connectTimeoutMs], () =>
    servicePorts(service, defaults),
  );
  warnings.push(...ports.warnings);
  if (ports.ports.length === 0) return [];
  const slices = model.endpointSlicesFor(service.metadata.namespace ?? 'default', service.metadata.name);
  const built = memos.catalogEntries.get(key, [ports, ...slices], () =>
    serviceEntries(service, ports, slices),
  );
  warnings.push(...built.warnings);
  return built.entries;
}
