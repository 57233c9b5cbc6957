// A route's backendRef -> the Service port it names, or the Gateway API reason it can't: a kind other than
// core Service -> InvalidKind; another namespace without a ReferenceGrant -> RefNotPermitted; a Service, or
// a port of the wanted transport (TCP for HTTP, gRPC, TLS and TCP routes, UDP for UDPRoute), that doesn't
// exist -> BackendNotFound. Shared by the HTTP/gRPC rules (backends.ts) and the L4 routes (../l4/).
import type { Service, ServicePort } from '../../../model/k8s';
import type { GatewayApiObject } from '../../../model/gateway-api';
import { isReferenceAllowed } from '../reference-grants';
import type { RuleContext } from '../contract';
import type { RouteReason } from './conditions';
import type { BackendObjectReference } from './spec';

export type ServicePortLookup =
  | { ok: true; service: Service; port: ServicePort; label: string }
  | { ok: false; reason: RouteReason; message: string };

export function lookUpServicePort(
  ref: BackendObjectReference,
  route: GatewayApiObject,
  ctx: RuleContext,
  transport: 'TCP' | 'UDP' = 'TCP',
): ServicePortLookup {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  const routeNamespace = route.metadata.namespace ?? 'default';
  const namespace = ref.namespace ?? routeNamespace;
  const label = `${kind} ${namespace}/${ref.name}`;
  if (group !== '' || kind !== 'Service')
    return {
      ok: false,
      reason: 'InvalidKind',
      message: `backendRef ${group ? `${group}/` : ''}${label}: only core Services are supported`,
    };
  if (
    namespace !== routeNamespace &&
    !isReferenceAllowed(
      ctx.model,
      { group: 'gateway.networking.k8s.io', kind: route.kind, namespace: routeNamespace },
      { group: '', kind: 'Service', namespace, name: ref.name },
    )
  )
    return {
      ok: false,
      reason: 'RefNotPermitted',
      message: `backendRef ${label}: no ReferenceGrant in ${namespace} allows it`,
    };
  const service = ctx.model.get('Service', namespace, ref.name);
  if (!service) return { ok: false, reason: 'BackendNotFound', message: `backendRef ${label}: not found` };
  if (ref.port === undefined)
    return {
      ok: false,
      reason: 'BackendNotFound',
      message: `backendRef ${label}: a Service backendRef needs a port`,
    };
  // A Service may serve one port number over TCP and UDP alike (DNS): the transport picks the entry.
  const port = (service.spec.ports ?? []).find(
    (p) => p.port === ref.port && (p.protocol ?? 'TCP') === transport,
  );
  if (!port) {
    const other = (service.spec.ports ?? []).find((p) => p.port === ref.port);
    return {
      ok: false,
      reason: 'BackendNotFound',
      message: `backendRef ${label}: the Service has no ${transport} port ${ref.port}${other ? ` (port ${ref.port} is ${other.protocol ?? 'TCP'} only)` : ''}`,
    };
  }
  return { ok: true, service, port, label };
}
