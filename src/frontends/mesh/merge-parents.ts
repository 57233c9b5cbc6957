// One status per route: a route with Gateway parents and Service (mesh) parents gets the Gateway front-end's
// `parents` entries followed by the mesh ones; a route with only Service parents gets the mesh status.
import type { GatewayApiStatus } from '../gateway/contract';

const keyOf = (s: GatewayApiStatus): string => `${s.kind}/${s.namespace ?? ''}/${s.name}`;

export function withMeshParents(
  gateway: readonly GatewayApiStatus[],
  mesh: readonly GatewayApiStatus[],
): GatewayApiStatus[] {
  const meshByKey = new Map(mesh.map((s) => [keyOf(s), s]));
  const out = gateway.map((s) => {
    const extra = meshByKey.get(keyOf(s));
    if (!extra) return s;
    meshByKey.delete(keyOf(s));
    const parents = [
      ...((s.status.parents as unknown[]) ?? []),
      ...((extra.status.parents as unknown[]) ?? []),
    ];
    return { ...s, status: { ...s.status, parents } };
  });
  return [...out, ...meshByKey.values()];
}
