// Small hand-made Gateway front-end outputs for tests of what surrounds the front-end (node groups, wiring,
// status serving, change ordering): a GroupIr with one HTTP listener whose routes forward to named clusters,
// and a fake TranslateGateways returning whatever a test sets, so those tests don't depend on the real one.
import type { GroupIr } from '../../src/ir/group';
import type { IrCluster, IrEndpoints } from '../../src/ir/clusters';
import type { IrRoute } from '../../src/ir/http';
import type {
  GatewayApiStatus,
  GatewayTranslation,
  ServedGateway,
  TranslateGateways,
} from '../../src/frontends/gateway/contract';

/** The IR cluster of Service `namespace/service` port `port`, named as the front-ends name clusters. */
export function irCluster(namespace: string, service: string, port: number): IrCluster {
  return {
    name: `${namespace}/${service}/${port}`,
    ref: { namespace, service, port, portName: '' },
    protocol: 'http1',
    lbPolicy: 'round-robin',
    connectTimeoutMs: 5000,
  };
}

export function irEndpoints(clusterName: string, port: number, addresses: string[]): IrEndpoints {
  return {
    clusterName,
    localities: [{ zone: '', endpoints: addresses.map((address) => ({ address, port, health: 'HEALTHY' })) }],
  };
}

/** A route on `prefix` forwarding to the clusters with these weights. */
export function irRoute(prefix: string, clusters: { cluster: string; weight: number }[]): IrRoute {
  return {
    source: 'HTTPRoute test/route',
    match: { path: { kind: 'prefix', path: prefix }, headers: [] },
    action: {
      kind: 'forward',
      clusters,
      http2: false,
      hashOn: [],
      autoHostRewrite: false,
      missingClusterStatus: 500,
    },
    policies: { websockets: false, grpcWeb: false },
  };
}

/**
 * A Gateway's IR: one listener on `port` named after the Gateway, routes as given, and every cluster they
 * name (Service NS/NAME/PORT from the cluster name) with one endpoint on `endpointPort`.
 */
export function gatewayIr(
  gateway: { namespace: string; name: string },
  routes: IrRoute[],
  options: { port?: number; address?: string; endpointPort?: number; clusters?: string[] } = {},
): GroupIr {
  const names = new Set(options.clusters ?? []);
  for (const route of routes)
    if (route.action.kind === 'forward') for (const c of route.action.clusters) names.add(c.cluster);
  const clusters = [...names].sort().map((name) => {
    const [ns = '', svc = '', port = '0'] = name.split('/');
    return irCluster(ns, svc, Number(port));
  });
  return {
    listeners: [
      {
        kind: 'http',
        name: `${gateway.namespace}/${gateway.name}/${options.port ?? 8080}`,
        address: options.address ?? '127.0.0.1',
        port: options.port ?? 8080,
        routes: {
          name: `${gateway.namespace}/${gateway.name}/${options.port ?? 8080}`,
          virtualHosts: [{ host: '*', routes }],
        },
      },
    ],
    clusters,
    endpoints: clusters.map((c) => irEndpoints(c.name, options.endpointPort ?? 9000, ['127.0.0.1'])),
    secrets: [],
  };
}

/** A TranslateGateways whose answer the test sets (and which records the options it was called with). */
export class FakeGatewayFrontend {
  gateways: ServedGateway[] = [];
  statuses: GatewayApiStatus[] = [];
  calls: Parameters<TranslateGateways>[1][] = [];

  readonly translate: TranslateGateways = (_model, options): GatewayTranslation => {
    this.calls.push(options);
    return { gateways: this.gateways, statuses: this.statuses };
  };
}
