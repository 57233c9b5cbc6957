// Kubernetes objects for edge tests, as plain data: the kxds IngressClass, a Service with its EndpointSlice
// pointing at loopback backends, and Ingresses (one rule per host, Prefix paths by default).
import type { Ingress, IngressClass } from '../../src/model/k8s';
import { endpointSlice, service } from './k8s-fixtures';

export const INGRESS_CLASS: IngressClass = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'kxds' },
  spec: { controller: 'kxds.io/ingress-controller' },
};

/** Service NS/NAME on port 80 (name http) whose endpoints are `ips` on `targetPort`. */
export function backendService(
  namespace: string,
  name: string,
  targetPort: number,
  ips: string[],
  annotations?: Record<string, string>,
): object[] {
  return [
    service(namespace, name, [{ name: 'http', port: 80 }], {}, annotations),
    endpointSlice(
      namespace,
      name,
      `${name}-1`,
      [{ name: 'http', port: targetPort }],
      ips.map((ip) => ({ ip })),
    ),
  ];
}

export interface IngressPath {
  path: string;
  service: string;
  pathType?: 'Prefix' | 'Exact' | 'ImplementationSpecific';
}

export function ingress(
  namespace: string,
  name: string,
  rules: { host?: string; paths: IngressPath[] }[],
  annotations: Record<string, string> = {},
  tls?: { hosts: string[]; secretName: string }[],
): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, annotations },
    spec: {
      ingressClassName: 'kxds',
      ...(tls ? { tls } : {}),
      rules: rules.map((rule) => ({
        ...(rule.host ? { host: rule.host } : {}),
        http: {
          paths: rule.paths.map((p) => ({
            path: p.path,
            pathType: p.pathType ?? 'Prefix',
            backend: { service: { name: p.service, port: { number: 80 } } },
          })),
        },
      })),
    },
  };
}
