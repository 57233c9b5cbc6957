// A node group's IR -> its Envoy resources. The one entry point of the Envoy back-end for groups whose IR is
// listener-shaped (the Ingress edge and every Gateway); it reads only the IR. Built objects are memoized by
// resource name and a structural key (the IR's JSON, cheap beside encoding): an unchanged listener, route
// configuration, cluster or CLA comes back as the same object, which the snapshot neither re-encodes nor
// re-hashes.
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, ResourceSet } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { BuildMemo } from '../xds/memo';
import type { GroupIr } from '../ir/group';
import type { IrHttpListener } from '../ir/listeners';
import type { IrRouteConfig } from '../ir/http';
import { buildCluster } from './cluster';
import { buildLoadAssignment } from './endpoint';
import { buildHttpListener, chainRouteName } from './http/listener';
import { buildRouteConfiguration } from './http/route';
import { buildTlsSecret } from './http/secret';
import { buildTcpListener } from './tcp/listener';
import { buildUdpListener } from './udp/listener';

/** The memos the back-end may use; a pipeline owns them and sweeps them after each build. */
export interface GroupMemos {
  listeners: BuildMemo<Listener>;
  routes: BuildMemo<RouteConfiguration>;
  clusters: BuildMemo<Cluster>;
  assignments: BuildMemo<ClusterLoadAssignment>;
}

export function groupResources(ir: GroupIr, memos: GroupMemos, memoPrefix = ''): ResourceSet {
  // Groups sharing memos (every Gateway) prefix their keys, so equal names in two groups don't evict each other.
  const same = <V>(memo: BuildMemo<V>, name: string, key: unknown, build: () => V): V =>
    memo.get(memoPrefix + name, [JSON.stringify(key)], build);
  const out = emptyResourceSet();
  for (const listener of ir.listeners) {
    if (listener.kind === 'http') addHttpListener(out, listener, memos, same);
    else if (listener.kind === 'tcp')
      out.listener.set(listener.name, same(memos.listeners, listener.name, listener, () => buildTcpListener(listener)));
    else if (listener.kind === 'udp')
      out.listener.set(listener.name, same(memos.listeners, listener.name, listener, () => buildUdpListener(listener)));
    // "api" listeners belong to proxyless groups, whose view builds them (src/envoy/api-listener.ts).
    else throw new Error(`an ${listener.kind} listener has no Envoy builder in this group`);
  }
  for (const secret of ir.secrets) out.secret.set(secret.name, buildTlsSecret(secret));
  for (const cluster of ir.clusters)
    out.cluster.set(cluster.name, same(memos.clusters, cluster.name, cluster, () => buildCluster(cluster)));
  for (const endpoints of ir.endpoints)
    out.endpoint.set(
      endpoints.clusterName,
      same(memos.assignments, endpoints.clusterName, endpoints, () => buildLoadAssignment(endpoints)),
    );
  return out;
}

type Same = <V>(memo: BuildMemo<V>, name: string, key: unknown, build: () => V) => V;

function addHttpListener(out: ResourceSet, listener: IrHttpListener, memos: GroupMemos, same: Same): void {
  // The listener's JSON without its virtual hosts: a route change must not rebuild the listener.
  const shape = {
    ...listener,
    routes: listener.routes?.name,
    tls: listener.tls?.map((c) => ({ ...c, virtualHosts: undefined })),
  };
  out.listener.set(listener.name, same(memos.listeners, listener.name, shape, () => buildHttpListener(listener)));
  const configs: IrRouteConfig[] = listener.tls
    ? listener.tls.map((chain) => ({ name: chainRouteName(listener.name, chain), virtualHosts: chain.virtualHosts }))
    : [listener.routes ?? { name: listener.name, virtualHosts: [] }];
  for (const config of configs)
    out.route.set(
      config.name,
      same(memos.routes, config.name, config.virtualHosts, () =>
        buildRouteConfiguration(config.name, config.virtualHosts),
      ),
    );
}
