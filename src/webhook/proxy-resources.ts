// The proxy container's requests and limits: defaults, overridden per pod by the kxds.io/proxy-* annotations.
// An invalid quantity refuses the pod (like Kubernetes does for its own resource fields) rather than
// silently running a proxy sized differently than the owner asked for.
import {
  PROXY_CPU_ANNOTATION,
  PROXY_CPU_LIMIT_ANNOTATION,
  PROXY_MEMORY_ANNOTATION,
  PROXY_MEMORY_LIMIT_ANNOTATION,
} from './annotations';
import { parseQuantity } from './quantity';
import type { ProxyResources } from './settings';

export interface ResolvedProxyResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  /** The overload manager's heap limit: 80% of the memory limit, leaving room for non-heap memory. */
  maxHeapBytes: number;
}

export type ProxyResourcesResult =
  { valid: true; value: ResolvedProxyResources } | { valid: false; errors: string[] };

interface Pair {
  request: string;
  limit: string;
}

function resolvePair(
  annotations: Record<string, string>,
  requestKey: string,
  limitKey: string,
  defaults: Pair,
  errors: string[],
): (Pair & { limitValue: number }) | undefined {
  const read = (key: string, fallback: string): { text: string; value: number } | undefined => {
    const text = annotations[key] ?? fallback;
    const value = parseQuantity(text);
    if (value === undefined || value <= 0) {
      errors.push(`annotation ${key}: "${text}" is not a positive Kubernetes quantity (e.g. 100m, 1, 128Mi)`);
      return undefined;
    }
    return { text, value };
  };
  const request = read(requestKey, defaults.request);
  const limitAnnotated = annotations[limitKey] !== undefined;
  const limit = read(limitKey, defaults.limit);
  if (!request || !limit) return undefined;
  if (request.value <= limit.value)
    return { request: request.text, limit: limit.text, limitValue: limit.value };
  if (limitAnnotated) {
    errors.push(`annotation ${requestKey}: request "${request.text}" exceeds limit "${limit.text}"`);
    return undefined;
  }
  // A request above the default limit raises the limit with it: the owner asked for more, not for a refusal.
  return { request: request.text, limit: request.text, limitValue: request.value };
}

export function resolveProxyResources(
  annotations: Record<string, string>,
  defaults: ProxyResources,
): ProxyResourcesResult {
  const errors: string[] = [];
  const cpu = resolvePair(
    annotations,
    PROXY_CPU_ANNOTATION,
    PROXY_CPU_LIMIT_ANNOTATION,
    { request: defaults.cpuRequest, limit: defaults.cpuLimit },
    errors,
  );
  const memory = resolvePair(
    annotations,
    PROXY_MEMORY_ANNOTATION,
    PROXY_MEMORY_LIMIT_ANNOTATION,
    { request: defaults.memoryRequest, limit: defaults.memoryLimit },
    errors,
  );
  if (!cpu || !memory) return { valid: false, errors };
  return {
    valid: true,
    value: {
      requests: { cpu: cpu.request, memory: memory.request },
      limits: { cpu: cpu.limit, memory: memory.limit },
      maxHeapBytes: Math.floor(memory.limitValue * 0.8),
    },
  };
}
