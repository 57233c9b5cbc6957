// Node groups: which proxies share one snapshot, as one typed vocabulary for server, cache, pipeline,
// translation and admin. All edge Envoys share one group, all proxyless clients another, and sidecars one per
// namespace and mode (explicit or transparent capture, and the pod's own egress list when it sets one).
// The string key is only an index (map keys, snapshot names, logs): it is formatted and parsed here and
// nowhere else. Other kinds (a Gateway's own group, a client dialect) are added as new union members and a
// case in each function below.

export type NodeGroup =
  | { kind: 'edge' }
  | { kind: 'proxyless' }
  | {
      kind: 'sidecar';
      namespace: string;
      /** iptables capture (listeners per Service port) instead of the explicit 127.0.0.1 proxy. */
      transparent: boolean;
      /** Namespaces whose Services the sidecar sees (sorted, no duplicates); absent = the namespace's default. */
      egress?: readonly string[];
    };

export type SidecarGroup = Extract<NodeGroup, { kind: 'sidecar' }>;

export const GROUP_EDGE = 'edge';
export const GROUP_PROXYLESS = 'proxyless';

export const EDGE_GROUP: NodeGroup = { kind: 'edge' };
export const PROXYLESS_GROUP: NodeGroup = { kind: 'proxyless' };

/** A sidecar group with its egress list normalised, so equal groups have equal keys. */
export function sidecarGroup(
  namespace: string,
  transparent: boolean,
  egress?: readonly string[],
): SidecarGroup {
  return {
    kind: 'sidecar',
    namespace,
    transparent,
    ...(egress ? { egress: [...new Set(egress)].sort() } : {}),
  };
}

/**
 * "edge", "proxyless", "sidecar/NS", "sidecar/NS/transparent", either sidecar form + "?egress=a,b". Sidecar
 * keys also name the group's own resources (e.g. its outbound listener), so this format is part of the
 * output: change it only with the goldens.
 */
export function nodeGroupKey(group: NodeGroup): string {
  switch (group.kind) {
    case 'edge':
      return GROUP_EDGE;
    case 'proxyless':
      return GROUP_PROXYLESS;
    case 'sidecar': {
      let key = `sidecar/${group.namespace}`;
      if (group.transparent) key += '/transparent';
      if (group.egress) key += `?egress=${[...new Set(group.egress)].sort().join(',')}`;
      return key;
    }
  }
}

const SIDECAR_KEY = /^sidecar\/([^/?]+)(\/transparent)?(?:\?egress=([^?]*))?$/;

/** The group a key names, or undefined for a string no nodeGroupKey() produces. */
export function parseNodeGroupKey(key: string): NodeGroup | undefined {
  if (key === GROUP_EDGE) return EDGE_GROUP;
  if (key === GROUP_PROXYLESS) return PROXYLESS_GROUP;
  const match = SIDECAR_KEY.exec(key);
  if (!match?.[1]) return undefined;
  const egress = match[3] !== undefined ? match[3].split(',').filter(Boolean) : undefined;
  return sidecarGroup(match[1], Boolean(match[2]), egress);
}

/** "a, b ,c" -> ["a","b","c"] (sorted, unique); "*" or empty -> undefined (everything). */
export function parseEgressList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0 || items.includes('*')) return undefined;
  return [...new Set(items)].sort();
}
