// Building Gateway API conditions and findings. Every status this front-end computes carries conditions
// with the object's own generation (observedGeneration exact), and every problem it finds is also pushed to
// `warnings` (logs, Events, /debug/warnings) as a typed finding about the same object.
import type { KubeObject } from '../../model/k8s';
import type { Statuses } from '../../translate/findings';
import { refOf } from '../../translate/findings';
import type { ApiCondition } from './contract';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** metadata.generation, or 0 for objects that never had one (manifests without it). */
export function generationOf(object: KubeObject): number {
  return object.metadata.generation ?? 0;
}

export function condition(
  type: string,
  status: ApiCondition['status'],
  reason: string,
  message: string,
  observedGeneration: number,
): ApiCondition {
  return { type, status, reason, message, observedGeneration };
}

/** Records a problem (a negative condition) about `object` for logs and Events; fine conditions are not findings. */
export function reportCondition(warnings: Statuses, object: KubeObject, c: ApiCondition): void {
  warnings.push({
    ref: refOf(object),
    observedGeneration: c.observedGeneration,
    conditions: [{ type: c.type, status: c.status, reason: c.reason, message: c.message }],
  });
}
