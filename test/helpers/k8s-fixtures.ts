// Small builders for Kubernetes objects used across tests.
import type { EndpointSlice, Service, ServicePort } from '../../src/model/k8s';

export function service(
  namespace: string,
  name: string,
  ports: ServicePort[],
  extra: Partial<Service['spec']> = {},
  annotations?: Record<string, string>,
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { ports, ...extra },
  };
}

export interface SliceEndpoint {
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  zone?: string;
}

export function endpointSlice(
  namespace: string,
  serviceName: string,
  sliceName: string,
  ports: { name?: string; port: number }[],
  endpoints: SliceEndpoint[],
  addressType: EndpointSlice['addressType'] = 'IPv4',
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: sliceName, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType,
    ports,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: {
        ready: e.ready ?? true,
        ...(e.serving !== undefined ? { serving: e.serving } : {}),
        ...(e.terminating !== undefined ? { terminating: e.terminating } : {}),
      },
      ...(e.zone ? { zone: e.zone } : {}),
    })),
  };
}

/** The demo greeter: Service demo/greeter (grpc 50051) and one EndpointSlice of ready pods on `port`. */
export function greeterObjects(port: number, ips: string[]): [Service, EndpointSlice] {
  return [
    service('demo', 'greeter', [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }]),
    endpointSlice(
      'demo',
      'greeter',
      'greeter-abc',
      [{ name: 'grpc', port }],
      ips.map((ip) => ({ ip })),
    ),
  ];
}
