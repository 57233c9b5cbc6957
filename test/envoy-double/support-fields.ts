// The double's honesty check: every field of a resource it receives must be one it implements or one it
// knowingly passes over (listed with why), else it refuses the resource with an error naming the field, so
// a test never passes because the double silently ignored config that a real Envoy would act on.

/** Collects "path: reason" problems while walking one resource. */
export class SupportProblems {
  readonly problems: string[] = [];

  add(path: string, reason: string): void {
    this.problems.push(`${path}: envoy-double ${reason}`);
  }

  /** Every present key of `value` must be in `implemented` or `passedOver`. */
  fields(
    value: object | null | undefined,
    path: string,
    implemented: readonly string[],
    passedOver: readonly string[] = [],
  ): void {
    if (!value) return;
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined || field === null) continue;
      if (!implemented.includes(key) && !passedOver.includes(key))
        this.add(`${path}.${key}`, 'does not implement this field');
    }
  }
}

/** The decoded form of an Any: {"@type": URL, ...fields}. */
export function anyTypeUrl(any: unknown): string {
  return typeof any === 'object' && any !== null
    ? String((any as Record<string, unknown>)['@type'] ?? '')
    : '';
}

/** The fields of a decoded Any, typed by the caller (it has checked the type URL). */
export function anyFields<T>(any: unknown): T {
  const { '@type': _type, ...fields } = (any ?? {}) as Record<string, unknown>;
  return fields as T;
}
