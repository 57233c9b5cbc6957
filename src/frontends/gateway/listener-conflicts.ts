// Listener distinctness across a Gateway and its ListenerSets. Listeners of one object that mix protocols
// on a port are all Conflicted (the spec forbids picking a winner among them); otherwise listeners are taken
// in precedence order (Gateway first, then ListenerSets oldest first) and a later one that asks for another
// protocol on a taken port, or for a taken port+hostname, is Conflicted. Two Gateway ports that would bind
// the same Envoy port (80 + 10000 vs 10080) make the later PortUnavailable. HTTPS listeners on one port whose
// hostnames overlap get OverlappingTLSConfig (a negative-polarity condition, set only when true). UDP ports
// are apart from TCP ones (a TCP and a UDP listener may share a number); TCP and UDP listeners match no
// hostname (the spec: ignored there), so two of them on one port conflict whatever their hostnames say.
import { hostnamesOverlap } from './hostnames';
import type { GatewayListener } from './merged-listeners';
import { listenerLabel } from './merged-listeners';
import { listenerTransport } from './listener-kinds';

/** The socket a listener needs: "tcp/443", "udp/53". */
function socketKey(l: GatewayListener): string {
  return `${listenerTransport(l.spec.protocol)}/${l.spec.port}`;
}

/** The hostname a listener is told apart by ("" for none, and always for TCP and UDP). */
function matchedHostname(l: GatewayListener): string {
  return l.spec.protocol === 'TCP' || l.spec.protocol === 'UDP' ? '' : (l.spec.hostname ?? '');
}

export interface ListenerProblem {
  reason: string;
  message: string;
}

export interface ListenerConflicts {
  conflicted: Map<string, ListenerProblem>;
  portUnavailable: Map<string, ListenerProblem>;
  overlappingTls: Map<string, ListenerProblem>;
}

/** `listeners` are the ones with a protocol kxds serves, in precedence order. */
export function listenerConflicts(
  listeners: readonly GatewayListener[],
  bindPort: (port: number) => number,
): ListenerConflicts {
  const conflicted = new Map<string, ListenerProblem>();
  markMixedProtocolsPerOwner(listeners, conflicted);
  const ports = new Map<string, { protocol: string; hostnames: Set<string> }>();
  for (const l of listeners) {
    if (conflicted.has(l.key)) continue;
    const host = matchedHostname(l);
    const taken = ports.get(socketKey(l));
    if (!taken) {
      ports.set(socketKey(l), { protocol: l.spec.protocol, hostnames: new Set([host]) });
    } else if (taken.protocol !== l.spec.protocol) {
      const reason =
        l.owner.kind === 'ListenerSet' && taken.hostnames.has(host) ? 'ListenerConflict' : 'ProtocolConflict';
      conflicted.set(l.key, {
        reason,
        message: `Port ${l.spec.port} is already served as ${taken.protocol} by a listener with precedence`,
      });
    } else if (taken.hostnames.has(host)) {
      conflicted.set(l.key, {
        reason: 'HostnameConflict',
        message:
          l.spec.protocol === 'TCP' || l.spec.protocol === 'UDP'
            ? `Port ${l.spec.port} ${l.spec.protocol} is already taken by a listener with precedence (${l.spec.protocol} listeners have no hostname to tell them apart)`
            : `Port ${l.spec.port} ${l.spec.protocol} with hostname "${host}" is already taken by a listener with precedence`,
      });
    } else taken.hostnames.add(host);
  }
  const live = listeners.filter((l) => !conflicted.has(l.key));
  return {
    conflicted,
    portUnavailable: bindPortClashes(live, bindPort),
    overlappingTls: overlappingTls(live),
  };
}

function markMixedProtocolsPerOwner(
  listeners: readonly GatewayListener[],
  into: Map<string, ListenerProblem>,
): void {
  for (const l of listeners) {
    const clash = listeners.find(
      (o) => o.owner === l.owner && socketKey(o) === socketKey(l) && o.spec.protocol !== l.spec.protocol,
    );
    if (clash) {
      into.set(l.key, {
        reason: 'ProtocolConflict',
        message: `Port ${l.spec.port} is asked for as ${l.spec.protocol} and as ${clash.spec.protocol} (${listenerLabel(clash)})`,
      });
    }
  }
}

function bindPortClashes(
  live: readonly GatewayListener[],
  bindPort: (port: number) => number,
): Map<string, ListenerProblem> {
  const out = new Map<string, ListenerProblem>();
  const byBind = new Map<string, number>();
  for (const l of live) {
    const bind = bindPort(l.spec.port);
    const key = `${listenerTransport(l.spec.protocol)}/${bind}`;
    const first = byBind.get(key);
    if (first === undefined) byBind.set(key, l.spec.port);
    else if (first !== l.spec.port) {
      out.set(l.key, {
        reason: 'PortUnavailable',
        message: `Port ${l.spec.port} would bind Envoy port ${bind}, which port ${first} already binds`,
      });
    }
  }
  return out;
}

function overlappingTls(live: readonly GatewayListener[]): Map<string, ListenerProblem> {
  const out = new Map<string, ListenerProblem>();
  const https = live.filter((l) => l.spec.protocol === 'HTTPS');
  for (const l of https) {
    const other = https.find(
      (o) => o !== l && o.spec.port === l.spec.port && hostnamesOverlap(o.spec.hostname, l.spec.hostname),
    );
    if (other) {
      out.set(l.key, {
        reason: 'OverlappingHostnames',
        message: `Hostname "${l.spec.hostname ?? ''}" overlaps ${listenerLabel(other)} ("${other.spec.hostname ?? ''}") on port ${l.spec.port}`,
      });
    }
  }
  return out;
}
