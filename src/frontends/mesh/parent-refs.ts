// The parentRefs of a route that make it a mesh (GAMMA) route: kind Service in the core group ("" or
// "core"). A parentRef without a namespace names a Service in the route's own namespace.
import type { GatewayApiObject } from '../../model/gateway-api';

export interface MeshParentRef {
  namespace: string;
  name: string;
  /** The Service port the route decides; absent: every port of the Service. */
  port?: number;
}

interface ParentRefFields {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  port?: number;
}

export function meshParentRefs(
  route: GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>,
): MeshParentRef[] {
  const refs = (route.spec.parentRefs ?? []) as ParentRefFields[];
  const routeNamespace = route.metadata.namespace ?? 'default';
  return refs
    .filter((r) => r.kind === 'Service' && (r.group === '' || r.group === 'core') && r.name)
    .map((r) => ({
      namespace: r.namespace ?? routeNamespace,
      name: r.name as string,
      ...(r.port !== undefined ? { port: r.port } : {}),
    }));
}
