// Inputs of the propagation benchmark: N routes over 50 namespaces, each an Ingress or an HTTPRoute (on one
// Gateway) in front of its own Service, written as manifest files (one per namespace) as `kxds serve
// --manifests` reads them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { WatchedObject } from '../../src/model/k8s';
import { benchIngress, benchService, benchSlice } from './fixtures';

export type RouteFrontend = 'ingress' | 'httproute';

export const PROPAGATION_NAMESPACES = 50;
const GW = 'gateway.networking.k8s.io/v1';
/** The Gateway the HTTPRoutes attach to, and the node metadata its Envoys announce. */
export const BENCH_GATEWAY = { namespace: 'infra', name: 'bench' };

export const namespaceOf = (i: number): string => `ns-${i % PROPAGATION_NAMESPACES}`;
export const hostOf = (i: number, tag = 'svc'): string => `${tag}-${i}.${namespaceOf(i)}.example.com`;

export function gatewayObjects(): WatchedObject[] {
  return [
    {
      apiVersion: GW,
      kind: 'GatewayClass',
      metadata: { name: 'kxds' },
      spec: { controllerName: 'kxds.io/gateway-controller' },
    },
    {
      apiVersion: GW,
      kind: 'Gateway',
      metadata: { ...BENCH_GATEWAY, generation: 1 },
      spec: {
        gatewayClassName: 'kxds',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
        ],
      },
    },
  ];
}

/** Route i (host `host`) to Service i, in the front-end's kind. */
export function routeObject(frontend: RouteFrontend, i: number, host: string, name: string): WatchedObject {
  const namespace = namespaceOf(i);
  if (frontend === 'ingress') return { ...benchIngress(i, namespace, host), metadata: { name, namespace } };
  return {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name, namespace, generation: 1 },
    spec: {
      parentRefs: [{ name: BENCH_GATEWAY.name, namespace: BENCH_GATEWAY.namespace }],
      hostnames: [host],
      rules: [{ backendRefs: [{ name: `svc-${i}`, port: 80 }] }],
    },
  };
}

export function writeManifest(file: string, objects: WatchedObject[]): void {
  // Written beside and renamed over, so the source never reads half a file.
  const tmp = `${file}.partial`;
  fs.writeFileSync(tmp, objects.map((o) => stringify(o)).join('---\n'));
  fs.renameSync(tmp, file);
}

/** The starting directory: per namespace one file with its Services, EndpointSlices and routes. */
export function writeRoutes(dir: string, frontend: RouteFrontend, routes: number): void {
  const files = new Map<string, WatchedObject[]>();
  for (let i = 0; i < routes; i++) {
    const ns = namespaceOf(i);
    const list = files.get(ns) ?? [];
    list.push(
      benchService(i, ns),
      benchSlice(i, 2, 0, ns),
      routeObject(frontend, i, hostOf(i), `route-${i}`),
    );
    files.set(ns, list);
  }
  if (frontend === 'httproute') writeManifest(path.join(dir, 'gateway.yaml'), gatewayObjects());
  for (const [ns, objects] of files) writeManifest(path.join(dir, `${ns}.yaml`), objects);
}
