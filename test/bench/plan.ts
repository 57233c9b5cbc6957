// What `make bench` runs (issue 18's list, plus the older checks of issues 8 and 17), each run in a fresh
// scenario process. BENCH_QUICK=1 shrinks every size for development; the figures of a quick run are not
// comparable with the targets.
import type { Protocol } from './worker-protocol';

export interface Run {
  id: string;
  scenario:
    | 'coldStart'
    | 'fanOut'
    | 'churn'
    | 'burst'
    | 'nodeGroupChurn'
    | 'outageRecovery'
    | 'propagation'
    | 'gatewayTranslation';
  params: Record<string, unknown>;
}

export function plan(quick: boolean): Run[] {
  const runs: Run[] = [];
  // Issue 18's fan-out: edge Envoys (CDS wildcard + EDS of every cluster) against the whole of kxds serve,
  // then the reference server with the same clients and the same EndpointSlice changes.
  const fan: [Protocol, number][] = quick
    ? [
        ['sotw', 100],
        ['delta', 100],
      ]
    : [
        ['sotw', 1000],
        ['delta', 1000],
        ['sotw', 5000],
        ['delta', 5000],
      ];
  for (const [protocol, streams] of fan)
    for (const server of ['kxds', 'reference'] as const)
      runs.push({
        id: `fanout-${protocol}-${streams}-${server}`,
        scenario: 'fanOut',
        params: { protocol, streams, role: 'edge', services: 1000, changes: 3, app: true, server },
      });
  for (const frontend of ['ingress', 'httproute'])
    for (const routes of quick ? [100] : [100, 1000, 5000])
      runs.push({
        id: `propagation-${frontend}-${routes}`,
        scenario: 'propagation',
        params: { frontend, routes, streams: quick ? 5 : 20, samples: quick ? 5 : 10 },
      });
  const churn = {
    services: 500,
    endpoints: 3,
    ratePerS: 40,
    seconds: quick ? 10 : 60,
    streams: quick ? 20 : 100,
  };
  for (const [protocol, maxWaitMs] of [
    ['sotw', 1000],
    ['delta', 1000],
    ['delta', 250],
  ] as const)
    runs.push({
      id: `churn-${protocol}-maxwait${maxWaitMs}`,
      scenario: 'churn',
      params: { ...churn, protocol, maxWaitMs },
    });
  // 3,334 Services x (Service, EndpointSlice, Ingress) = 10,002 objects; and 10,000 Services (30,000 objects).
  for (const services of quick ? [1000] : [3334, 10000])
    runs.push({ id: `coldstart-${services}`, scenario: 'coldStart', params: { services } });
  runs.push({
    id: 'outage',
    scenario: 'outageRecovery',
    params: { services: 1000, outageMs: quick ? 3000 : 10_000 },
  });
  runs.push({
    id: 'gateway-translation',
    scenario: 'gatewayTranslation',
    params: { httpRoutes: 500, grpcRoutes: 250, udpRoutes: 100, services: 500, runs: quick ? 2 : 5 },
  });
  runs.push({
    id: 'burst',
    scenario: 'burst',
    params: { changes: quick ? 200 : 1000, windowMs: 1000, streams: 10, services: 500 },
  });
  runs.push({
    id: 'node-groups',
    scenario: 'nodeGroupChurn',
    params: { services: quick ? 100 : 500, groups: 1000, samples: quick ? 3 : 5 },
  });
  return runs;
}
