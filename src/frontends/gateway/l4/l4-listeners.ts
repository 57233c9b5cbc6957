// One Gateway port of L4 listeners -> its IR listener. TLS: a chain per (listener, route), chosen by the SNI
// names the route holds there (listener-claims.ts made them distinct on the port), passing the encrypted
// bytes through (mode Passthrough) or decrypting with the listener's certificates (Terminate) before the
// bytes go on. TCP: the one route's chain. UDP: the one route's backend cluster (named ".../udp", since a UDP
// socket may share the number with a TCP one). A port no route attaches to gets no Envoy listener: nothing
// would answer on it anyway.
import type { IrTcpListener, IrTcpRoute, IrUdpListener } from '../../../ir/listeners';
import type { GatewayOptions } from '../contract';
import type { GatewayObject } from '../listener-sets';
import type { ListenerState } from '../listener-state';
import type { ServedAttachment } from '../route-parents';

function chainName(state: ListenerState, served: ServedAttachment): string {
  const route = served.route.metadata;
  return `${state.listener.key}/${served.route.kind}/${route.namespace ?? ''}/${route.name}`;
}

function tcpRoute(state: ListenerState, served: ServedAttachment): IrTcpRoute {
  const spec = state.listener.spec;
  const base = { name: chainName(state, served), backends: served.rules.l4Backends ?? [] };
  if (spec.protocol !== 'TLS') return base;
  const hosts = served.attachment.hostnames;
  return {
    ...base,
    ...(hosts.includes('*') ? {} : { sni: [...hosts].sort() }),
    tls:
      spec.tls?.mode === 'Passthrough'
        ? { mode: 'passthrough' }
        : { mode: 'terminate', secrets: state.certificates.map((c) => c.name), minVersion: 'TLSv1_2' },
  };
}

export function l4PortListener(
  gateway: GatewayObject,
  port: number,
  onPort: readonly ListenerState[],
  servedOn: ReadonlyMap<ListenerState, readonly ServedAttachment[]>,
  options: GatewayOptions,
): IrTcpListener | IrUdpListener | undefined {
  const first = onPort[0];
  if (!first) return undefined;
  const base = `${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}/${port}`;
  const bind = { address: options.address, port: first.bindPort };
  const served = onPort.flatMap((state) => (servedOn.get(state) ?? []).map((s) => ({ state, s })));
  if (served.length === 0) return undefined;
  if (first.listener.spec.protocol === 'UDP') {
    const only = served[0] as { s: ServedAttachment };
    return { kind: 'udp', name: `${base}/udp`, ...bind, backends: only.s.rules.l4Backends ?? [] };
  }
  const routes = served.map(({ state, s }) => tcpRoute(state, s));
  return { kind: 'tcp', name: base, ...bind, routes: routes.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}
