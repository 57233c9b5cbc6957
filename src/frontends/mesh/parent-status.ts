// One `parents` entry of a mesh route's status: the Service parentRef as written back, kxds's controller
// name, and Accepted / ResolvedRefs (True unless the rule translation or the attachment said otherwise).
import { GATEWAY_CONTROLLER_NAME, type RouteCondition } from '../gateway/contract';
import type { MeshParentRef } from './parent-refs';

const ACCEPTED: RouteCondition = {
  type: 'Accepted',
  status: 'True',
  reason: 'Accepted',
  message: 'accepted',
};
const RESOLVED: RouteCondition = {
  type: 'ResolvedRefs',
  status: 'True',
  reason: 'ResolvedRefs',
  message: 'every backendRef resolved',
};

export function parentStatus(
  parent: MeshParentRef,
  conditions: readonly RouteCondition[],
  generation: number,
): Record<string, unknown> {
  const has = (type: RouteCondition['type']) => conditions.some((c) => c.type === type);
  const all = [
    ...(has('Accepted') ? [] : [ACCEPTED]),
    ...(has('ResolvedRefs') ? [] : [RESOLVED]),
    ...conditions,
  ];
  return {
    parentRef: {
      group: '',
      kind: 'Service',
      namespace: parent.namespace,
      name: parent.name,
      ...(parent.port !== undefined ? { port: parent.port } : {}),
    },
    controllerName: GATEWAY_CONTROLLER_NAME,
    conditions: all.map((c) => ({ ...c, observedGeneration: generation })),
  };
}
