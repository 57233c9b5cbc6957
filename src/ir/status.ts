// Typed status: what kxds found about a user's object, as Kubernetes-style conditions on an object
// reference. Front-ends produce these; logs, /debug/warnings, the status page, `kxds validate`, Events and
// status writers all consume the same records, so nothing ever parses a message string back.
// Plain data with no imports, so every layer (front-ends, pipeline, admin, cluster writers) may use it.

/** Which object a status is about, the way Kubernetes names it (group "" is the core API group). */
export interface ObjectRef {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  /** CamelCase, e.g. "ResolvedRefs"; several findings about one object may share a type. */
  type: string;
  status: ConditionStatus;
  /** CamelCase, machine-readable: "BackendNotFound". */
  reason: string;
  /** For people: says what was wrong and what kxds did instead. */
  message: string;
}

export interface ObjectStatus {
  ref: ObjectRef;
  /** The object a finding is attached through (a Gateway for a route's listener, later). */
  parent?: ObjectRef & { sectionName?: string };
  /** metadata.generation of the object the conditions were computed from, when it has one. */
  observedGeneration?: number;
  conditions: Condition[];
}

/** "Kind namespace/name" (or "Kind name"), the way kubectl and kxds logs name an object. */
export function formatObjectRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** A key equal for equal references: statuses are merged and compared by it. */
export function objectRefKey(ref: ObjectRef): string {
  return [ref.group, ref.kind, ref.namespace ?? '', ref.name].join('\u0000');
}

/** A key equal for the same finding about the same object: a finding is logged or posted once by it. */
export function findingKey(ref: ObjectRef, condition: Condition): string {
  return [objectRefKey(ref), condition.type, condition.reason, condition.message].join('\u0000');
}

/** One row per condition: what logs, Events and the status page list. */
export interface Finding {
  ref: ObjectRef;
  observedGeneration?: number;
  condition: Condition;
}

export function findingsOf(statuses: readonly ObjectStatus[]): Finding[] {
  return statuses.flatMap((s) =>
    s.conditions.map((condition) => ({
      ref: s.ref,
      ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
      condition,
    })),
  );
}

/**
 * One status per object (in order of first appearance), each finding once: producers push a status per
 * finding, and the same problem is often found twice (by the edge and by a sidecar group).
 */
export function mergeStatuses(statuses: readonly ObjectStatus[]): ObjectStatus[] {
  const byRef = new Map<string, ObjectStatus>();
  const seen = new Set<string>();
  for (const status of statuses) {
    const key = objectRefKey(status.ref);
    let merged = byRef.get(key);
    if (!merged) {
      merged = { ...status, conditions: [] };
      byRef.set(key, merged);
    }
    for (const condition of status.conditions) {
      const finding = findingKey(status.ref, condition);
      if (seen.has(finding)) continue;
      seen.add(finding);
      merged.conditions.push(condition);
    }
  }
  return [...byRef.values()];
}
