// Synthetic cluster contents for benchmarks: Services with endpoints (and optionally one Ingress each).
import type { EndpointSlice, Ingress, Service, WatchedObject } from '../../src/model/k8s';

export const BENCH_NAMESPACE = 'bench';

export function benchService(i: number, namespace = BENCH_NAMESPACE): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace, resourceVersion: '1' },
    spec: { ports: [{ name: 'http', port: 80 }] },
  };
}

/** The EndpointSlice of Service i; `generation` varies the addresses so every call is a real change. */
export function benchSlice(
  i: number,
  endpoints: number,
  generation = 0,
  namespace = BENCH_NAMESPACE,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `svc-${i}-abc`,
      namespace,
      labels: { 'kubernetes.io/service-name': `svc-${i}` },
      resourceVersion: String(generation + 1),
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080 }],
    endpoints: Array.from({ length: endpoints }, (_, e) => {
      const n = i * 16 + e + generation * 7919;
      return {
        addresses: [`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`],
        conditions: { ready: true },
        zone: `zone-${e % 2}`,
      };
    }),
  };
}

export function benchIngress(i: number, namespace = BENCH_NAMESPACE, host = `svc-${i}.example.com`): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: `ing-${i}`, namespace, resourceVersion: '1' },
    spec: {
      ingressClassName: 'kxds',
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: `svc-${i}`, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
}

export function benchObjects(services: number, endpoints: number, ingresses: boolean): WatchedObject[] {
  const out: WatchedObject[] = [];
  for (let i = 0; i < services; i++) {
    out.push(benchService(i), benchSlice(i, endpoints));
    if (ingresses) out.push(benchIngress(i));
  }
  return out;
}

/** The EDS (and cluster) name of Service i. */
export const benchClusterName = (i: number): string => `${BENCH_NAMESPACE}/svc-${i}/80`;
