// Node groups: which proxies share one snapshot, as one typed vocabulary for server, cache, pipeline,
// translation and admin. All edge Envoys share one group, proxyless clients one per dialect (a gRPC
// implementation with verified support of its own, or the conservative set for every other gRPC client: see
// client-dialect.ts) and, only for namespaces that have consumer mesh routes, one per dialect and caller
// namespace (src/server/groups.ts decides; so their count follows the model, not node metadata), and sidecars one per namespace and mode (explicit or transparent capture, and the pod's
// own egress list when it sets one).
// The string key is only an index (map keys, snapshot names, logs): it is formatted and parsed here and
// nowhere else. Other kinds are added as new union members and a
// case in each function below.

import { PROXYLESS_DIALECTS, type ProxylessDialect } from './client-dialect';

export type NodeGroup =
  | { kind: 'edge' }
  /** The edge Envoys of one Gateway API Gateway (they announce kxds.io/gateway: NAMESPACE/NAME). */
  | { kind: 'gateway'; namespace: string; name: string }
  /**
   * Without a dialect: gRPC clients kxds has no verified dialect for (the conservative set). With a
   * namespace: callers in a namespace that has consumer mesh routes (they see those routes).
   */
  | { kind: 'proxyless'; dialect?: ProxylessDialect; namespace?: string }
  | {
      kind: 'sidecar';
      namespace: string;
      /** iptables capture (listeners per Service port) instead of the explicit 127.0.0.1 proxy. */
      transparent: boolean;
      /** Namespaces whose Services the sidecar sees (sorted, no duplicates); absent = the namespace's default. */
      egress?: readonly string[];
    };

export type SidecarGroup = Extract<NodeGroup, { kind: 'sidecar' }>;
export type GatewayGroup = Extract<NodeGroup, { kind: 'gateway' }>;

export const GROUP_EDGE = 'edge';
export const GROUP_PROXYLESS = 'proxyless';

export const EDGE_GROUP: NodeGroup = { kind: 'edge' };
export const PROXYLESS_GROUP: NodeGroup = { kind: 'proxyless' };

/**
 * The proxyless group of a dialect ("grpc", every unverified client, is the plain proxyless group), for
 * callers in `namespace` when given (a namespace with consumer mesh routes).
 */
export function proxylessGroup(dialect: ProxylessDialect | 'grpc', namespace?: string): NodeGroup {
  return {
    kind: 'proxyless',
    ...(dialect === 'grpc' ? {} : { dialect }),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

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

export function gatewayGroup(namespace: string, name: string): GatewayGroup {
  return { kind: 'gateway', namespace, name };
}

/** A DNS label (namespace) "/" a DNS subdomain (Gateway name), as Kubernetes allows them. */
const GATEWAY_REF = /^([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9](?:[-.a-z0-9]{0,251}[a-z0-9])?)$/;

/** "NS/NAME" (node metadata kxds.io/gateway) -> its group, or undefined when it names no possible Gateway. */
export function parseGatewayRef(ref: string): GatewayGroup | undefined {
  const match = GATEWAY_REF.exec(ref);
  return match?.[1] && match[2] ? gatewayGroup(match[1], match[2]) : undefined;
}

/**
 * "edge", "proxyless", "gateway/NS/NAME", "proxyless/DIALECT", either proxyless form + "?namespace=NS",
 * "sidecar/NS", "sidecar/NS/transparent", either sidecar form + "?egress=a,b". Sidecar
 * keys also name the group's own resources (e.g. its outbound listener), so this format is part of the
 * output: change it only with the goldens.
 */
export function nodeGroupKey(group: NodeGroup): string {
  switch (group.kind) {
    case 'edge':
      return GROUP_EDGE;
    case 'gateway':
      return `gateway/${group.namespace}/${group.name}`;
    case 'proxyless': {
      const key = group.dialect ? `${GROUP_PROXYLESS}/${group.dialect}` : GROUP_PROXYLESS;
      return group.namespace !== undefined ? `${key}?namespace=${group.namespace}` : key;
    }
    case 'sidecar': {
      let key = `sidecar/${group.namespace}`;
      if (group.transparent) key += '/transparent';
      if (group.egress) key += `?egress=${[...new Set(group.egress)].sort().join(',')}`;
      return key;
    }
  }
}

const PROXYLESS_KEY = /^proxyless(?:\/([^/?]+))?(?:\?namespace=([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?))?$/;
const SIDECAR_KEY = /^sidecar\/([^/?]+)(\/transparent)?(?:\?egress=([^?]*))?$/;

/** The group a key names, or undefined for a string no nodeGroupKey() produces. */
export function parseNodeGroupKey(key: string): NodeGroup | undefined {
  if (key === GROUP_EDGE) return EDGE_GROUP;
  const proxyless = PROXYLESS_KEY.exec(key);
  if (proxyless) {
    const dialect = PROXYLESS_DIALECTS.find((d) => d === proxyless[1]);
    if (proxyless[1] !== undefined && !dialect) return undefined;
    return proxylessGroup(dialect ?? 'grpc', proxyless[2]);
  }
  if (key.startsWith('gateway/')) return parseGatewayRef(key.slice('gateway/'.length));
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
