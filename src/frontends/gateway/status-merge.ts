// How a computed Gateway API status (contract.ts GatewayApiStatus.status: only what kxds says) meets the
// status an object already has, for the writer (cluster mode) and /debug/gateway-status (manifests mode):
// - a condition keeps its lastTransitionTime while its status is unchanged (Kubernetes' SetStatusCondition
//   rule); a new or flipped condition gets `now`;
// - a route's `parents` and a policy's `ancestors` are shared with other controllers: their entries are kept
//   as they are, ours (controllerName kxds.io/gateway-controller) are replaced by the computed ones;
// - every other field is the computed one.
// statusEqual then says whether a write would change anything. Pure; `now` is passed in.
import { GATEWAY_CONTROLLER_NAME } from './contract';

type Json = Record<string, unknown>;

const SHARED_LISTS = ['parents', 'ancestors'] as const;

export function mergeGatewayStatus(previous: Json | undefined, computed: Json, now: string): Json {
  const merged = stampTimes(previous, computed, now) as Json;
  for (const list of SHARED_LISTS) {
    if (!Array.isArray(computed[list])) continue;
    const others = asList(previous?.[list]).filter(
      (entry) => entry.controllerName !== GATEWAY_CONTROLLER_NAME,
    );
    merged[list] = [...others, ...(merged[list] as Json[])];
  }
  return merged;
}

/** Deep equality of two statuses, ignoring object key order (what the API server does not keep either). */
export function statusEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Json).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** The computed value with lastTransitionTime filled in every conditions list, matched against `previous`. */
function stampTimes(previous: unknown, computed: unknown, now: string): unknown {
  if (Array.isArray(computed)) {
    const before = Array.isArray(previous) ? (previous as unknown[]) : [];
    return computed.map((item) => stampTimes(counterpart(before, item), item, now));
  }
  if (!computed || typeof computed !== 'object') return computed;
  const out: Json = {};
  for (const [key, value] of Object.entries(computed as Json)) {
    const prior = previous && typeof previous === 'object' ? (previous as Json)[key] : undefined;
    out[key] =
      key === 'conditions' && Array.isArray(value)
        ? conditions(prior, value as Json[], now)
        : stampTimes(prior, value, now);
  }
  return out;
}

function conditions(previous: unknown, computed: Json[], now: string): Json[] {
  const before = asList(previous);
  return computed.map((condition) => {
    const prior = before.find((c) => c.type === condition.type);
    const kept = prior && prior.status === condition.status && typeof prior.lastTransitionTime === 'string';
    return { ...condition, lastTransitionTime: kept ? prior.lastTransitionTime : now };
  });
}

/**
 * The entry of an earlier list that describes the same thing as `item`: a listener by name, a route parent or
 * policy ancestor by its reference and controller, anything else by position-free equality of nothing (none).
 */
function counterpart(before: unknown[], item: unknown): unknown {
  if (!item || typeof item !== 'object') return undefined;
  const id = identity(item as Json);
  return id === undefined
    ? undefined
    : before.find((b) => b && typeof b === 'object' && identity(b as Json) === id);
}

function identity(entry: Json): string | undefined {
  const ref = (entry.parentRef ?? entry.ancestorRef) as Json | undefined;
  // The API server fills the CRD defaults (group, kind) into stored references; computed ones may omit them.
  if (ref)
    return canonical([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...ref }, entry.controllerName]);
  if (typeof entry.name === 'string') return `name:${entry.name}`;
  return undefined;
}

function asList(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => Boolean(v) && typeof v === 'object') : [];
}
