// Node groups: which proxies share one snapshot. All edge Envoys share "edge"; proxyless clients share one
// group per dialect ("proxyless" for unknown gRPC clients, "proxyless/grpc-js", "proxyless/grpc-core"),
// so each snapshot is built and encoded once for all clients of one implementation; sidecars share one per namespace and mode: "sidecar/NS" (explicit mode, all Services
// visible unless the Namespace limits egress), "sidecar/NS/transparent" for iptables capture, and an egress
// list from the pod (node metadata) adds "?egress=a,b". Pure string functions so server and translation agree.
import { isDialectId, type DialectId } from './dialects/dialect';

export const GROUP_EDGE = 'edge';
export const GROUP_PROXYLESS = 'proxyless';

/** The proxyless group of a dialect; the conservative "grpc" dialect keeps the plain "proxyless" key. */
export function proxylessGroupKey(dialect: DialectId): string {
  return dialect === 'grpc' ? GROUP_PROXYLESS : `${GROUP_PROXYLESS}/${dialect}`;
}

export function parseProxylessGroupKey(key: string): DialectId | undefined {
  if (key === GROUP_PROXYLESS) return 'grpc';
  const dialect = key.startsWith(`${GROUP_PROXYLESS}/`) ? key.slice(GROUP_PROXYLESS.length + 1) : '';
  return isDialectId(dialect) && dialect !== 'envoy' && dialect !== 'grpc' ? dialect : undefined;
}

export interface SidecarGroup {
  namespace: string;
  transparent: boolean;
  /** Namespaces whose Services the sidecar sees (sorted); undefined = the namespace's default. */
  egress?: string[];
}

export function sidecarGroupKey(group: SidecarGroup): string {
  let key = `sidecar/${group.namespace}`;
  if (group.transparent) key += '/transparent';
  if (group.egress) key += `?egress=${[...new Set(group.egress)].sort().join(',')}`;
  return key;
}

export function parseSidecarGroupKey(key: string): SidecarGroup | undefined {
  const match = /^sidecar\/([^/?]+)(\/transparent)?(?:\?egress=([^?]*))?$/.exec(key);
  if (!match?.[1]) return undefined;
  return {
    namespace: match[1],
    transparent: Boolean(match[2]),
    ...(match[3] !== undefined ? { egress: match[3].split(',').filter(Boolean) } : {}),
  };
}

/** "a, b ,c" -> ["a","b","c"]; "*" or empty -> undefined (everything). */
export function parseEgressList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0 || items.includes('*')) return undefined;
  return [...new Set(items)].sort();
}
