// How many listeners one Gateway serves, its own and its ListenerSets' together. The spec caps each object
// at 64 listeners (CRD MaxItems) but not their merge: ListenerSets exist to go past 64. It lets an
// implementation refuse listeners past its own limit with Accepted False, reason TooManyListeners
// (listenerset_types.go, ListenerEntry Accepted). kxds serves the first MAX_GATEWAY_LISTENERS in the spec's
// precedence order (the Gateway's own, then ListenerSets oldest first, then by namespace/name), so a new
// ListenerSet can never take a listener away from an older one.
import type { ListenerProblem } from './listener-conflicts';

/**
 * Why 1024: every listener becomes filter chains and virtual hosts in one Envoy's config, pushed whole on
 * each change (LDS/RDS are state of the world per Gateway); past about a thousand the push and Envoy's
 * drain of a replaced listener get slow, and Envoy Gateway's docs advise splitting there too.
 */
export const MAX_GATEWAY_LISTENERS = 1024;

/** The problem of the listener at `index` of a Gateway's merged listeners, past the limit. */
export function tooManyListeners(index: number, total: number, limit: number): ListenerProblem | undefined {
  if (index < limit) return undefined;
  return {
    reason: 'TooManyListeners',
    message: `The Gateway has ${total} listeners with its ListenerSets; kxds serves the first ${limit} in precedence order`,
  };
}
