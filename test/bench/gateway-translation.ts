// A large Gateway API input translated in-process (issue 18; Envoy Gateway's figure for an input this size:
// 139 ms, 58 MiB allocated): 500 HTTPRoutes, 250 GRPCRoutes and 100 UDPRoutes on one Gateway over 10
// namespaces, 500 Services with endpoints. Timed: the Gateway front-end (model -> IR + statuses) and the
// Envoy back-end (IR -> typed resources), cold (first run) and warm (median of the next runs, fresh memos
// each time so nothing is reused). Allocation is counted with v8's GC profiler: what the heap grew by
// between collections, summed.
import * as v8 from 'node:v8';
import { modelFrom } from '../../src/model/store';
import { translateGateways } from '../../src/frontends/gateway/index';
import { groupResources } from '../../src/envoy/group';
import { TranslationMemos } from '../../src/translate/translation-memos';
import type { WatchedObject } from '../../src/model/k8s';
import { benchService, benchSlice } from './fixtures';
import { gatewayObjects } from './propagation-fixtures';
import { gcNow, nowMs, percentile, round } from './stats';
import type { ScenarioResult } from './scenarios';

const GW = 'gateway.networking.k8s.io/v1';
const NAMESPACES = 10;
const parentRefs = [{ name: 'bench', namespace: 'infra' }];

function input(p: {
  httpRoutes: number;
  grpcRoutes: number;
  udpRoutes: number;
  services: number;
}): WatchedObject[] {
  const ns = (i: number) => `ns-${i % NAMESPACES}`;
  // Service i lives in ns-(i % 10); route i points at Service i % services (the same namespace when
  // services is a multiple of 10).
  const svc = (i: number) => i % p.services;
  const [gatewayClass, gateway] = gatewayObjects() as [WatchedObject, WatchedObject];
  const spec = (gateway as unknown as { spec: { listeners: Record<string, unknown>[] } }).spec;
  spec.listeners.push({
    name: 'udp',
    protocol: 'UDP',
    port: 5353,
    allowedRoutes: { namespaces: { from: 'All' } },
  });
  const out: WatchedObject[] = [gatewayClass, gateway];
  for (let i = 0; i < p.services; i++) out.push(benchService(i, ns(i)), benchSlice(i, 2, 0, ns(i)));
  for (let i = 0; i < p.httpRoutes; i++)
    out.push({
      apiVersion: GW,
      kind: 'HTTPRoute',
      metadata: { name: `http-${i}`, namespace: ns(i), generation: 1 },
      spec: {
        parentRefs,
        hostnames: [`h-${i}.example.com`],
        rules: [
          {
            matches: [
              { path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-canary', value: 'yes' }] },
            ],
            backendRefs: [{ name: `svc-${svc(i)}`, port: 80 }],
          },
          {
            backendRefs: [
              { name: `svc-${svc(i + 10)}`, port: 80, weight: 90 },
              { name: `svc-${svc(i)}`, port: 80, weight: 10 },
            ],
          },
        ],
      },
    });
  for (let i = 0; i < p.grpcRoutes; i++)
    out.push({
      apiVersion: GW,
      kind: 'GRPCRoute',
      metadata: { name: `grpc-${i}`, namespace: ns(i), generation: 1 },
      spec: {
        parentRefs,
        hostnames: [`g-${i}.example.com`],
        rules: [
          {
            matches: [{ method: { service: `bench.Svc${i}` } }],
            backendRefs: [{ name: `svc-${svc(i)}`, port: 80 }],
          },
        ],
      },
    });
  for (let i = 0; i < p.udpRoutes; i++)
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: 'UDPRoute',
      metadata: { name: `udp-${i}`, namespace: ns(i), generation: 1 },
      spec: { parentRefs, rules: [{ backendRefs: [{ name: `svc-${svc(i)}`, port: 80 }] }] },
    });
  return out;
}

const OPTIONS = {
  address: '0.0.0.0',
  privilegedPortOffset: 10000,
  allowExternalName: false,
  connectTimeoutMs: 5000,
};

/** One translation, front-end and back-end; returns the resources built and the UDP listeners in the IR. */
function translateOnce(objects: WatchedObject[]): {
  resources: number;
  udpListeners: number;
  gateways: number;
} {
  const result = translateGateways(modelFrom(objects), OPTIONS, []);
  const memos = new TranslationMemos();
  let resources = 0;
  let udpListeners = 0;
  for (const g of result.gateways) {
    const set = groupResources(g.ir, memos.groupMemos());
    for (const map of Object.values(set)) resources += map.size;
    udpListeners += g.ir.listeners.filter((l) => l.kind === 'udp').length;
  }
  return { resources, udpListeners, gateways: result.gateways.length };
}

/** Bytes allocated while fn ran: the heap's growth between GCs, summed (GC profiler). */
function allocated<T>(fn: () => T): { value: T; bytes: number } {
  gcNow();
  const profiler = new v8.GCProfiler();
  const start = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  const value = fn();
  const end = v8.getHeapStatistics().used_heap_size;
  const stats = profiler.stop()?.statistics ?? [];
  let bytes = 0;
  let after = start;
  for (const gc of stats) {
    bytes += gc.beforeGC.heapStatistics.usedHeapSize - after;
    after = gc.afterGC.heapStatistics.usedHeapSize;
  }
  return { value, bytes: bytes + end - after };
}

export async function gatewayTranslation(p: {
  httpRoutes: number;
  grpcRoutes: number;
  udpRoutes: number;
  services: number;
  runs: number;
}): Promise<ScenarioResult> {
  const objects = input(p);
  const coldStart = nowMs();
  const first = translateOnce(objects);
  const coldMs = nowMs() - coldStart;
  const warm: number[] = [];
  for (let r = 0; r < p.runs; r++) {
    const t = nowMs();
    translateOnce(objects);
    warm.push(nowMs() - t);
  }
  const { bytes } = allocated(() => translateOnce(objects));
  return {
    ...p,
    gateways: first.gateways,
    resources: first.resources,
    udpRoutesTranslated: first.udpListeners > 0 ? 'yes' : 'not translated yet',
    coldMs: round(coldMs),
    warmMs: round(percentile(warm, 50)),
    allocatedMiB: round(bytes / 2 ** 20),
  };
}
