// HTTPRoute timeouts -> the route's upstream timeout. kxds makes one attempt per request (no retries), so
// one attempt (backendRequest) and the whole request (request) end at the same moment: the shorter one
// that is set applies; "0s" disables a timeout. Unset: no opinion (the caller picks the default).
import { parseGatewayDuration } from './duration';
import type { HTTPRouteRule } from './spec';

export function ruleTimeoutMs(rule: HTTPRouteRule): number | undefined | string {
  const set: number[] = [];
  for (const field of ['request', 'backendRequest'] as const) {
    const text = rule.timeouts?.[field];
    if (text === undefined) continue;
    const ms = parseGatewayDuration(text);
    if (ms === undefined) return `timeouts.${field} "${text}" is not a duration`;
    set.push(ms);
  }
  if (set.length === 0) return undefined;
  const active = set.filter((ms) => ms > 0);
  return active.length > 0 ? Math.min(...active) : 0;
}
