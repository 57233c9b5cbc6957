// Manifest objects refused by the field, schema or CEL checks, as typed statuses: `kxds validate --output
// json` lists them beside translation's findings, one condition per thing wrong, each naming the field.
import type { ObjectStatus } from '../ir/status';
import type { ManifestProblem } from './manifest-parse';

/** Condition type and reason the Gateway API uses for an object a controller cannot accept as written. */
export const REFUSED_CONDITION = { type: 'Accepted', status: 'False', reason: 'Invalid' } as const;

export function refusedObjectStatuses(problems: readonly ManifestProblem[]): ObjectStatus[] {
  return problems.flatMap((p) =>
    p.refused
      ? [
          {
            ref: p.refused.ref,
            conditions: p.refused.findings.map((message) => ({ ...REFUSED_CONDITION, message })),
          },
        ]
      : [],
  );
}
