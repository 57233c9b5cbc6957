// Ingress backends -> edge clusters. Each Service port referenced by any served Ingress becomes one cluster
// (NAMESPACE/NAME/PORT), built once; a backend that can't be resolved gives a reason, and the caller turns
// the route into a 503 so requests don't fall through to some other route.
import type { Ingress, IngressBackend } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import { edgeClusterForServicePort, hasEndpoints, type ClusterDefaults } from '../../translate/clusters';
import { localitiesForServicePort } from '../../translate/endpoints';
import type { IrCluster, IrEndpoints, UpstreamProtocol } from '../../ir/clusters';
import { report, type FindingReason, type Statuses } from '../../translate/findings';
import { clusterName } from '../../translate/names';

/** A backend that can't be used says why: `cause` is the condition reason, `reason` the words for people. */
export type BackendResult =
  { ok: true; cluster: IrCluster } | { ok: false; cause: FindingReason; reason: string };

interface CachedCluster {
  result: BackendResult;
  /** The Ingress whose backend-protocol decided the cluster's protocol, if any. */
  hintFrom?: { ingress: string; protocol: UpstreamProtocol };
}

export class EdgeClusters {
  private readonly byName = new Map<string, CachedCluster>();
  private readonly hashing = new Set<string>();

  constructor(
    private readonly model: ModelView,
    private readonly warnings: Statuses,
    private readonly allowExternalName: boolean,
    private readonly defaults?: ClusterDefaults,
  ) {}

  /** The backend's cluster; `namespace` (the Ingress's own by default) is where its Service is looked up. */
  resolve(
    ingress: Ingress,
    backend: IngressBackend,
    protocolHint?: UpstreamProtocol,
    namespace = ingress.metadata.namespace ?? 'default',
  ): BackendResult {
    if (backend.resource) {
      const r = backend.resource;
      return {
        ok: false,
        cause: 'UnsupportedBackend',
        reason: `resource backends (${r.apiGroup ? `${r.apiGroup}/` : ''}${r.kind} ${r.name}) are not supported`,
      };
    }
    const ref = backend.service;
    if (!ref?.name) return { ok: false, cause: 'BackendNotFound', reason: 'the backend names no Service' };
    const service = this.model.get('Service', namespace, ref.name);
    if (!service)
      return { ok: false, cause: 'BackendNotFound', reason: `Service ${namespace}/${ref.name} not found` };
    const wanted = ref.port?.number ?? ref.port?.name;
    if (wanted === undefined)
      return {
        ok: false,
        cause: 'BackendNotFound',
        reason: `the backend for Service ${ref.name} names no port`,
      };
    const port = (service.spec.ports ?? []).find((p) =>
      typeof wanted === 'number' ? p.port === wanted : p.name === wanted,
    );
    if (!port) {
      return {
        ok: false,
        cause: 'BackendNotFound',
        reason: `Service ${namespace}/${ref.name} has no port ${wanted}`,
      };
    }
    if ((port.protocol ?? 'TCP') !== 'TCP') {
      return {
        ok: false,
        cause: 'UnsupportedBackend',
        reason: `Service ${namespace}/${ref.name} port ${wanted} is ${port.protocol}, not TCP`,
      };
    }
    const name = clusterName({ namespace, service: ref.name, port: port.port });
    const cached = this.byName.get(name);
    if (cached) {
      if (protocolHint && cached.hintFrom && cached.hintFrom.protocol !== protocolHint) {
        report(
          this.warnings,
          ingress,
          'ProtocolConflict',
          `backend-protocol for ${name} differs from Ingress ${cached.hintFrom.ingress}, which is older and wins`,
        );
      }
      return cached.result;
    }
    const built = edgeClusterForServicePort(service, port, this.warnings, {
      allowExternalName: this.allowExternalName,
      ...(this.defaults ? { defaults: this.defaults } : {}),
      ...(protocolHint ? { protocolHint } : {}),
    });
    const result: BackendResult = built.ok ? { ok: true, cluster: built.cluster } : built;
    this.byName.set(name, {
      result,
      ...(protocolHint
        ? { hintFrom: { ingress: objectRef(ingress).replace(/^Ingress /, ''), protocol: protocolHint } }
        : {}),
    });
    return result;
  }

  /** A route hashes on a cookie: its cluster needs a hashing balancer. */
  requireHashing(cluster: string): void {
    this.hashing.add(cluster);
  }

  /** The clusters resolved so far, by name; hashing upgrades applied. */
  clusters(): IrCluster[] {
    const out: IrCluster[] = [];
    for (const name of [...this.byName.keys()].sort()) {
      const entry = this.byName.get(name);
      if (!entry?.result.ok) continue;
      const cluster = entry.result.cluster;
      if (this.hashing.has(name) && cluster.lbPolicy !== 'ring-hash' && cluster.lbPolicy !== 'maglev') {
        const service = this.model.get('Service', cluster.ref.namespace, cluster.ref.service);
        if (service?.metadata.annotations?.['kxds.io/load-balancer'] !== undefined) {
          report(
            this.warnings,
            service,
            'IncompatibleSettings',
            `an Ingress asks for cookie affinity but kxds.io/load-balancer is ${cluster.lbPolicy}; affinity has no effect`,
          );
        } else {
          cluster.lbPolicy = 'ring-hash';
        }
      }
      out.push(cluster);
    }
    return out;
  }

  /** EDS assignments for the EDS clusters (DNS clusters carry their single host inline). */
  endpoints(clusters: readonly IrCluster[]): IrEndpoints[] {
    const out: IrEndpoints[] = [];
    for (const cluster of clusters) {
      if (cluster.discovery?.kind === 'dns') continue;
      const service = this.model.get('Service', cluster.ref.namespace, cluster.ref.service);
      if (!service || !hasEndpoints(service)) continue;
      const slices = this.model.endpointSlicesFor(cluster.ref.namespace, cluster.ref.service);
      out.push({
        clusterName: cluster.name,
        localities: localitiesForServicePort(slices, cluster.ref, this.warnings),
      });
    }
    return out;
  }
}
