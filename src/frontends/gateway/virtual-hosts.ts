// The virtual hosts of the listeners sharing one port, with listener isolation: a hostname is served only
// by the most specific listener covering it (so with listeners "*.example.com" and "foo.example.com", routes
// of the first never see foo.example.com, even when a route asks for it by name), and every listener has a
// virtual host for its own hostname, empty when no route serves it (a 404, not another listener's routes).
// Routes inside a virtual host are ordered by the route rules' precedence (CompareRankedRoutes).
import type { IrRoute, IrVirtualHost } from '../../ir/http';
import type { CompareRankedRoutes, RankedRoute } from './contract';
import { hostnameCovers, hostnameSpecificity } from './hostnames';
import type { ListenerState } from './listener-state';
import type { ServedAttachment } from './route-parents';

/** The listener of `port` a request for `host` reaches: the most specific one covering it. */
export function owningListener(
  portListeners: readonly ListenerState[],
  host: string,
): ListenerState | undefined {
  let best: ListenerState | undefined;
  for (const state of portListeners) {
    const own = state.listener.spec.hostname;
    const covers = host === '*' ? own === undefined : hostnameCovers(own, host);
    if (!covers) continue;
    if (!best || hostnameSpecificity(own) > hostnameSpecificity(best.listener.spec.hostname)) best = state;
  }
  return best;
}

/** Host -> ranked routes of one listener, before isolation. */
function listenerHosts(
  state: ListenerState,
  served: readonly ServedAttachment[],
): Map<string, RankedRoute[]> {
  const hosts = new Map<string, RankedRoute[]>([[state.listener.spec.hostname ?? '*', []]]);
  for (const s of served) {
    if (s.attachment.state !== state) continue;
    for (const host of s.attachment.hostnames) {
      const routes = hosts.get(host) ?? [];
      routes.push(...s.rules.routes);
      hosts.set(host, routes);
    }
  }
  return hosts;
}

/**
 * Virtual hosts of `listeners` (all on one port; `portListeners` are every serving listener of that port,
 * for isolation), sorted most specific host first.
 */
export function isolatedVirtualHosts(
  listeners: readonly ListenerState[],
  portListeners: readonly ListenerState[],
  served: ReadonlyMap<ListenerState, readonly ServedAttachment[]>,
  compare: CompareRankedRoutes,
): IrVirtualHost[] {
  const merged = new Map<string, RankedRoute[]>();
  for (const state of listeners) {
    for (const [host, routes] of listenerHosts(state, served.get(state) ?? [])) {
      if (owningListener(portListeners, host) !== state) continue;
      merged.set(host, [...(merged.get(host) ?? []), ...routes]);
    }
  }
  return sortHosts([...merged]).map(([host, routes]) => ({
    host,
    routes: [...routes].sort(compare).map((r) => r.route),
  }));
}

/** Most specific host first, then by name (specificity computed once per host, not per comparison). */
function sortHosts<T>(entries: [string, T][]): [string, T][] {
  const keyed = entries.map((entry) => ({ entry, specificity: hostnameSpecificity(entry[0]) }));
  keyed.sort(
    (x, y) =>
      y.specificity - x.specificity || (x.entry[0] < y.entry[0] ? -1 : x.entry[0] > y.entry[0] ? 1 : 0),
  );
  return keyed.map((k) => k.entry);
}

/** The answer for a host another listener of the port owns, reached on the wrong TLS connection (RFC 9110 421). */
export function misdirectedRoute(source: string): IrRoute {
  return {
    source,
    match: { path: { kind: 'prefix', path: '/' }, headers: [] },
    action: { kind: 'direct', status: 421 },
    policies: { websockets: false, grpcWeb: false },
  };
}
