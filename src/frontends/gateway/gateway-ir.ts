// One Gateway's node group IR: an "http" listener per distinct Gateway port among its serving listeners
// (bound at the port, or port + offset below 1024). Clear text: one route configuration holding every
// listener's virtual hosts (isolated, see virtual-hosts.ts). HTTPS: one TLS chain per Gateway listener, SNI =
// its hostname (none: the default chain), each with its own route configuration; a host another listener of
// the port owns answers 421 there. TLS, TCP and UDP ports: see l4/l4-listeners.ts. Clusters, endpoints and
// certificates are those the served routes use.
import type { GroupIr } from '../../ir/group';
import type { IrCluster, IrEndpoints } from '../../ir/clusters';
import type { IrSecret, IrTlsChain } from '../../ir/http';
import type { IrHttpListener, IrListener } from '../../ir/listeners';
import { l4PortListener } from './l4/l4-listeners';
import { listenerTransport } from './listener-kinds';
import type { GatewayOptions } from './contract';
import type { GatewayObject } from './listener-sets';
import type { ListenerState } from './listener-state';
import type { RouteRules, ServedAttachment } from './route-parents';
import { isolatedVirtualHosts, misdirectedRoute } from './virtual-hosts';

export function gatewayGroupIr(
  gateway: GatewayObject,
  states: readonly ListenerState[],
  servedOn: ReadonlyMap<ListenerState, readonly ServedAttachment[]>,
  rules: Pick<RouteRules, 'compare'>,
  options: GatewayOptions,
): GroupIr {
  const serving = states.filter((s) => s.serving);
  const live = serving.flatMap((s) => servedOn.get(s) ?? []);
  // A TCP and a UDP listener may share a port number: sockets are told apart by transport.
  const socketOf = (s: ListenerState) =>
    `${listenerTransport(s.listener.spec.protocol)}/${s.listener.spec.port}`;
  const sockets = [...new Map(serving.map((s) => [socketOf(s), s.listener.spec.port])).entries()].sort(
    ([a, pa], [b, pb]) => pa - pb || (a < b ? -1 : 1),
  );
  const listeners = sockets.flatMap(([socket, port]): IrListener[] => {
    const onPort = serving.filter((s) => socketOf(s) === socket);
    const protocol = onPort[0]?.listener.spec.protocol;
    if (protocol === 'HTTP' || protocol === 'HTTPS')
      return [portListener(gateway, port, onPort, servedOn, rules, options)];
    const l4 = l4PortListener(gateway, port, onPort, servedOn, options);
    return l4 ? [l4] : [];
  });
  return {
    listeners,
    clusters: uniqueBy(
      live.flatMap((s) => s.rules.clusters),
      (c: IrCluster) => c.name,
    ),
    endpoints: uniqueBy(
      live.flatMap((s) => s.rules.endpoints),
      (e: IrEndpoints) => e.clusterName,
    ),
    secrets: uniqueBy(
      serving.flatMap((s) => s.certificates),
      (s: IrSecret) => s.name,
    ),
  };
}

function portListener(
  gateway: GatewayObject,
  port: number,
  onPort: ListenerState[],
  served: ReadonlyMap<ListenerState, readonly ServedAttachment[]>,
  rules: Pick<RouteRules, 'compare'>,
  options: GatewayOptions,
): IrHttpListener {
  const name = `${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}/${port}`;
  const base = { kind: 'http' as const, name, address: options.address, port: onPort[0]?.bindPort ?? port };
  if (onPort[0]?.listener.spec.protocol !== 'HTTPS') {
    return {
      ...base,
      routes: { name, virtualHosts: isolatedVirtualHosts(onPort, onPort, served, rules.compare) },
    };
  }
  const source = `Gateway ${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}`;
  const tls = onPort.map((state): IrTlsChain => {
    const own = isolatedVirtualHosts([state], onPort, served, rules.compare);
    const others = onPort
      .filter((o) => o !== state)
      .map((o) => o.listener.spec.hostname ?? '*')
      .filter((host) => !own.some((v) => v.host === host))
      .map((host) => ({ host, routes: [misdirectedRoute(source)] }));
    const [first, ...extra] = state.certificates;
    return {
      name: state.listener.key,
      secret: first?.name ?? '',
      ...(extra.length > 0 ? { extraSecrets: extra.map((c) => c.name) } : {}),
      hosts: state.listener.spec.hostname ? [state.listener.spec.hostname] : [],
      minVersion: 'TLSv1_2',
      routeName: `${name}/${state.listener.key}`,
      virtualHosts: [...own, ...others],
    };
  });
  return { ...base, tls };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
