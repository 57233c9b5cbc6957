// Resources for proxyless gRPC clients (grpc-js-xds, gRPC C-core, grpc-go, grpc-java with xDS). A client
// dialing xds:///NAME.NAMESPACE[.svc[.cluster.local]]:PORT subscribes to a Listener of exactly that name,
// then the RouteConfiguration it names, the Cluster the route points to and that cluster's
// ClusterLoadAssignment. Each Service's cluster is first shaped for the group's dialect (what that client
// implementation supports; the rest is held back and reported), then built; built objects are memoized on
// the shaped IR objects, so unchanged Services give identical objects.
import type { Listener, ResourceSet, RouteConfiguration } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { HeldBackPolicy, IrCluster } from './ir';
import type { CatalogEntry } from './service-catalog';
import { IdentityMemo } from './identity-memo';
import { proxylessListenerNames, proxylessRouteName, serviceHostNames } from './names';
import { buildApiListener } from './envoy/api-listener';
import { hashPolicy } from './envoy/route';
import { clusterFor, loadAssignmentFor } from './built-resources';
import { DIALECTS, type DialectId } from './dialects/dialect';
import { shapeCluster, type ShapedCluster } from './dialects/hold-back';

interface ListenersAndRoute {
  listeners: [string, Listener][];
  routeName: string;
  route: RouteConfiguration;
}

const listenersMemo = new IdentityMemo<IrCluster, ListenersAndRoute>();
const shapedMemos = new Map<DialectId, IdentityMemo<IrCluster, ShapedCluster>>();

function shaped(cluster: IrCluster, dialect: DialectId): ShapedCluster {
  let memo = shapedMemos.get(dialect);
  if (!memo) shapedMemos.set(dialect, (memo = new IdentityMemo()));
  return memo.get(cluster, [], () => shapeCluster(cluster, DIALECTS[dialect]));
}

function listenersAndRoute(cluster: IrCluster, single: boolean): ListenersAndRoute {
  const ref = cluster.ref;
  const routeName = proxylessRouteName(ref);
  const listenerNames = proxylessListenerNames(ref, single);
  const hosts = serviceHostNames(ref.namespace, ref.service);
  const hashing = cluster.hashOn && cluster.hashOn.length > 0 ? cluster.hashOn.map(hashPolicy) : undefined;
  return {
    listeners: listenerNames.map((name) => [name, buildApiListener(name, routeName)]),
    routeName,
    route: {
      name: routeName,
      virtual_hosts: [
        {
          name: routeName,
          // Every form the client may dial, with and without the port: the resolver matches the dial target.
          domains: [...listenerNames, ...hosts.filter((h) => !listenerNames.includes(h))],
          routes: [
            {
              match: { prefix: '/' },
              route: { cluster: cluster.name, ...(hashing ? { hash_policy: hashing } : {}) },
            },
          ],
        },
      ],
    },
  };
}

export interface ProxylessTranslation {
  resources: ResourceSet;
  heldBack: HeldBackPolicy[];
}

export function translateProxyless(
  catalog: readonly CatalogEntry[],
  dialect: DialectId = 'grpc',
): ProxylessTranslation {
  const out = emptyResourceSet();
  const heldBack: HeldBackPolicy[] = [];
  const portsPerService = new Map<string, number>();
  for (const e of catalog) {
    const key = `${e.cluster.ref.namespace}/${e.cluster.ref.service}`;
    portsPerService.set(key, (portsPerService.get(key) ?? 0) + 1);
  }
  for (const entry of catalog) {
    const { cluster, heldBack: held } = shaped(entry.cluster, dialect);
    heldBack.push(...held);
    const ref = cluster.ref;
    const single = portsPerService.get(`${ref.namespace}/${ref.service}`) === 1;
    const built = listenersMemo.get(cluster, [single], () => listenersAndRoute(cluster, single));
    for (const [name, listener] of built.listeners) out.listener.set(name, listener);
    out.route.set(built.routeName, built.route);
    out.cluster.set(cluster.name, clusterFor(cluster, { proxyless: true }));
    out.endpoint.set(cluster.name, loadAssignmentFor(entry.endpoints));
  }
  return { resources: out, heldBack };
}
