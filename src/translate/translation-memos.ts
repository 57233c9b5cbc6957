// The memos of one translation pipeline, by the step that uses them. A Translator owns one of these; a
// module that memoizes takes it as an argument instead of keeping state of its own.
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration } from '../xds/types';
import type { IrVirtualHost } from '../ir/http';
import type { IrCluster, IrEndpoints } from '../ir/clusters';
import type { IrTransparentListener } from '../ir/listeners';
import { MemoSet } from '../xds/memo';
import type { GroupMemos } from '../envoy/group';
import type { ShapedCluster } from './dialects/hold-back';
import type { ServiceEntries, ServicePorts } from './service-catalog';
import type { ApiListenerResources } from '../envoy/api-listener';

export class TranslationMemos extends MemoSet {
  /** service-catalog.ts: a Service's port clusters, and its entries with endpoints. */
  readonly catalogPorts = this.create<ServicePorts>();
  readonly catalogEntries = this.create<ServiceEntries>();
  /** built-resources.ts: typed Clusters (per dialect) and ClusterLoadAssignments from IR. */
  readonly clusters = this.create<Cluster>();
  readonly assignments = this.create<ClusterLoadAssignment>();
  /** proxyless.ts: a cluster shaped for a dialect, and its listeners and route. */
  readonly shapedClusters = this.create<ShapedCluster>();
  readonly proxylessRoutes = this.create<ApiListenerResources>();
  /**
   * sidecar/: IR kept while its inputs are unchanged (virtual hosts, a route configuration's list of them,
   * TCP variants of clusters, mesh route clusters and their endpoints), then the back-end's memos: one set
   * per capture mode, whose clusters every sidecar group of that mode shares.
   */
  readonly sidecarVirtualHosts = this.create<IrVirtualHost>();
  readonly sidecarRouteHosts = this.create<IrVirtualHost[]>();
  readonly sidecarTcpClusters = this.create<IrCluster>();
  readonly sidecarRouteClusters = this.create<IrCluster>();
  readonly sidecarRouteEndpoints = this.create<IrEndpoints>();
  readonly sidecarTransparentListeners = this.create<IrTransparentListener>();
  readonly sidecarExplicit = this.groupMemos();
  readonly sidecarTransparent = this.groupMemos();
  /** envoy/group.ts for the Ingress edge: built objects by resource name, keyed on the IR's JSON. */
  readonly edge = this.groupMemos();
  /** envoy/group.ts for every Gateway's group (keys prefixed "gateway/NS/NAME|"). */
  readonly gateways = this.groupMemos();

  /** A fresh set of back-end memos (one per listener-shaped group family, so names never collide). */
  groupMemos(): GroupMemos {
    return {
      listeners: this.create<Listener>(),
      routes: this.create<RouteConfiguration>(),
      clusters: this.create<Cluster>(),
      assignments: this.create<ClusterLoadAssignment>(),
    };
  }
}
