// A node group's IR -> its Envoy resources. The one entry point of the Envoy back-end for groups whose IR is
// listener-shaped (the Ingress edge, every Gateway, sidecars); it reads only the IR. Built objects are
// memoized by resource name and a structural key (the IR's JSON, cheap beside encoding; or the IR object
// itself for a front-end that keeps unchanged IR objects): an unchanged listener, route configuration,
// cluster or CLA comes back as the same object, which the snapshot neither re-encodes nor re-hashes.
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, ResourceSet } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { BuildMemo } from '../xds/memo';
import type { GroupIr } from '../ir/group';
import type { IrHttpListener, IrTransparentListener } from '../ir/listeners';
import type { IrRouteConfig } from '../ir/http';
import { buildCluster } from './cluster';
import { buildLoadAssignment } from './endpoint';
import { buildHttpListener, chainRouteName } from './http/listener';
import { buildRouteConfiguration } from './http/route';
import { buildTlsSecret } from './http/secret';
import { buildTcpListener } from './tcp/listener';
import { buildUdpListener } from './udp/listener';
import { buildTransparentListener } from './transparent/listener';
import { buildOriginalDstCluster } from './original-dst-cluster';

/** The memos the back-end may use; a pipeline owns them and sweeps them after each build. */
export interface GroupMemos {
  listeners: BuildMemo<Listener>;
  routes: BuildMemo<RouteConfiguration>;
  clusters: BuildMemo<Cluster>;
  assignments: BuildMemo<ClusterLoadAssignment>;
}

/** How a group's built objects are memoized (groups sharing memos must keep their keys apart). */
export interface GroupBuildOptions {
  /** Prefix of every memo key (every Gateway's group prefixes its own). */
  memoPrefix?: string;
  /**
   * Prefix of cluster and CLA keys instead: groups whose clusters are the same IR objects (sidecars of one
   * mode) share them, and with them the built objects and their encoding.
   */
  clusterMemoPrefix?: string;
  /**
   * Key on the IR objects themselves (compared with ===) instead of their JSON: for a front-end that hands
   * back the same IR object while its inputs are unchanged, so no JSON is made for a build that changes nothing.
   */
  byIdentity?: boolean;
}

export function groupResources(ir: GroupIr, memos: GroupMemos, options: string | GroupBuildOptions = ''): ResourceSet {
  const opts = typeof options === 'string' ? { memoPrefix: options } : options;
  const prefix = opts.memoPrefix ?? '';
  const keyOf = (key: unknown): unknown => (opts.byIdentity ? key : JSON.stringify(key));
  // Groups sharing memos (every Gateway) prefix their keys, so equal names in two groups don't evict each other.
  const same = <V>(memo: BuildMemo<V>, name: string, key: unknown, build: () => V): V =>
    memo.get(prefix + name, [keyOf(key)], build);
  // Listeners are keyed on their JSON without virtual hosts (small, and free of route changes); a
  // transparent listener by identity too when the front-end keeps it (its chains are many).
  const shaped = <V>(memo: BuildMemo<V>, name: string, shape: unknown, build: () => V): V =>
    memo.get(prefix + name, [JSON.stringify(shape)], build);
  const shared = <V>(memo: BuildMemo<V>, name: string, key: unknown, build: () => V): V =>
    memo.get((opts.clusterMemoPrefix ?? prefix) + name, [keyOf(key)], build);
  const out = emptyResourceSet();
  for (const listener of ir.listeners) {
    if (listener.kind === 'http') addHttpListener(out, listener, memos, same, shaped);
    else if (listener.kind === 'tcp')
      out.listener.set(listener.name, shaped(memos.listeners, listener.name, listener, () => buildTcpListener(listener)));
    else if (listener.kind === 'udp')
      out.listener.set(listener.name, shaped(memos.listeners, listener.name, listener, () => buildUdpListener(listener)));
    else if (listener.kind === 'transparent')
      addTransparentListener(out, listener, memos, same, opts.byIdentity ? same : shaped);
    // "api" listeners belong to proxyless groups, whose view builds them (src/envoy/api-listener.ts).
    else throw new Error(`an ${listener.kind} listener has no Envoy builder in this group`);
  }
  for (const secret of ir.secrets) out.secret.set(secret.name, buildTlsSecret(secret));
  for (const cluster of ir.clusters)
    out.cluster.set(cluster.name, shared(memos.clusters, cluster.name, cluster, () => buildCluster(cluster)));
  for (const cluster of ir.originalDstClusters ?? [])
    out.cluster.set(cluster.name, shared(memos.clusters, cluster.name, cluster, () => buildOriginalDstCluster(cluster)));
  for (const endpoints of ir.endpoints)
    out.endpoint.set(
      endpoints.clusterName,
      shared(memos.assignments, endpoints.clusterName, endpoints, () => buildLoadAssignment(endpoints)),
    );
  return out;
}

type Same = <V>(memo: BuildMemo<V>, name: string, key: unknown, build: () => V) => V;

function addHttpListener(
  out: ResourceSet,
  listener: IrHttpListener,
  memos: GroupMemos,
  same: Same,
  shaped: Same,
): void {
  // The listener's JSON without its virtual hosts: a route change must not rebuild the listener.
  const shape = {
    ...listener,
    routes: listener.routes?.name,
    tls: listener.tls?.map((c) => ({ ...c, virtualHosts: undefined })),
  };
  out.listener.set(listener.name, shaped(memos.listeners, listener.name, shape, () => buildHttpListener(listener)));
  const configs: IrRouteConfig[] = listener.tls
    ? listener.tls.map((chain) => ({ name: chainRouteName(listener.name, chain), virtualHosts: chain.virtualHosts }))
    : [listener.routes ?? { name: listener.name, virtualHosts: [] }];
  addRoutes(out, configs, memos, same);
}

/** Route configurations, each keyed on its virtual hosts: an unchanged one is not built again. */
function addRoutes(out: ResourceSet, configs: readonly IrRouteConfig[], memos: GroupMemos, same: Same): void {
  for (const config of configs)
    out.route.set(
      config.name,
      same(memos.routes, config.name, config.virtualHosts, () =>
        buildRouteConfiguration(config.name, config.virtualHosts),
      ),
    );
}

/** The listener, and the route configuration of each of its HTTP chains (keyed on their virtual hosts). */
function addTransparentListener(
  out: ResourceSet,
  listener: IrTransparentListener,
  memos: GroupMemos,
  same: Same,
  shaped: Same,
): void {
  const shape =
    shaped === same
      ? listener
      : {
          ...listener,
          chains: listener.chains.map((c) =>
            c.handler.kind === 'http' ? { ...c, handler: { kind: 'http', routes: c.handler.routes.name } } : c,
          ),
        };
  out.listener.set(listener.name, shaped(memos.listeners, listener.name, shape, () => buildTransparentListener(listener)));
  const configs = listener.chains.flatMap((c) => (c.handler.kind === 'http' ? [c.handler.routes] : []));
  addRoutes(out, configs, memos, same);
}
