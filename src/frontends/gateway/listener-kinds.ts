// Which route kinds a listener takes: by its protocol when allowedRoutes.kinds is empty, else the listed
// kinds kxds supports on that protocol. Listed kinds kxds can't serve there are left out of supportedKinds
// and make ResolvedRefs False with InvalidRouteKinds, as the spec requires.
import type { Listener } from './api-types';
import { GATEWAY_GROUP } from './conditions';

export interface RouteGroupKind {
  group: string;
  kind: string;
}

/** The protocols kxds serves, with the route kinds each takes (TLS: Passthrough and Terminate alike). */
const KINDS_BY_PROTOCOL: Readonly<Record<ServedProtocol, readonly string[]>> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

export type ServedProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP';

export const SERVED_PROTOCOLS = Object.keys(KINDS_BY_PROTOCOL) as ServedProtocol[];

export function isServedProtocol(protocol: string): protocol is ServedProtocol {
  return Object.hasOwn(KINDS_BY_PROTOCOL, protocol);
}

/** The socket family a listener binds: UDP ports are apart from the TCP ones (HTTP, HTTPS, TLS, TCP). */
export function listenerTransport(protocol: string): 'udp' | 'tcp' {
  return protocol === 'UDP' ? 'udp' : 'tcp';
}

export interface ListenerKinds {
  supportedKinds: RouteGroupKind[];
  /** "group/kind" of each listed kind kxds can't serve on this listener. */
  invalid: string[];
}

export function listenerKinds(spec: Listener): ListenerKinds {
  const served = isServedProtocol(spec.protocol) ? KINDS_BY_PROTOCOL[spec.protocol] : [];
  const listed = spec.allowedRoutes?.kinds ?? [];
  if (listed.length === 0) {
    return { supportedKinds: served.map((kind) => ({ group: GATEWAY_GROUP, kind })), invalid: [] };
  }
  const supportedKinds: RouteGroupKind[] = [];
  const invalid: string[] = [];
  for (const entry of listed) {
    const group = entry.group ?? GATEWAY_GROUP;
    if (group === GATEWAY_GROUP && served.includes(entry.kind)) {
      if (!supportedKinds.some((k) => k.kind === entry.kind))
        supportedKinds.push({ group, kind: entry.kind });
    } else invalid.push(`${group}/${entry.kind}`);
  }
  return { supportedKinds, invalid };
}
