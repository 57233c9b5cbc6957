// The double's udp_proxy: a UDP listener keeps one session per client address; a session's first datagram
// picks a host of the matcher's cluster (weighted round robin over the endpoints' load_balancing_weight),
// later ones go to the same host from the same upstream socket, and the host's replies go back to the
// client from the listener's address, as Envoy's udp_proxy does. A session idle for the filter's
// idle_timeout (default one minute) ends. A missing or warming cluster, or one without hosts, drops the
// datagram. Not done: hash policies, session filters, tunnelling, per-packet balancing.
import * as dgram from 'node:dgram';
import type { Listener } from '../../src/xds/types';
import type { UdpProxyConfig } from '../../src/generated/envoy/extensions/filters/udp/udp_proxy/v3/UdpProxyConfig';
import type { ConfigStore } from './config-store';
import { clusterHosts, type RoundRobin } from './endpoints';
import { anyFields, anyTypeUrl } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

export function listenerUdpProxy(listener: Listener): UdpProxyConfig | undefined {
  const filter = (listener.listener_filters ?? []).find(
    (f) => anyTypeUrl(f.typed_config) === DOUBLE_TYPE_URLS.udpProxy,
  );
  return filter ? anyFields<UdpProxyConfig>(filter.typed_config) : undefined;
}

/** The cluster every session goes to: the matcher's no-match route action. */
export function udpProxyCluster(config: UdpProxyConfig): string | undefined {
  const action = config.matcher?.on_no_match?.action?.typed_config;
  return anyTypeUrl(action) === DOUBLE_TYPE_URLS.udpRoute
    ? String(anyFields<{ cluster?: string }>(action).cluster ?? '') || undefined
    : undefined;
}

function idleMs(config: UdpProxyConfig): number {
  const d = config.idle_timeout;
  return d ? Number(d.seconds ?? 0) * 1000 + Math.floor(Number(d.nanos ?? 0) / 1e6) : 60_000;
}

interface Session {
  upstream: dgram.Socket;
  timer: NodeJS.Timeout;
}

export interface UdpProxyDeps {
  config: ConfigStore;
  roundRobin: RoundRobin;
}

/** Serves one UDP listener on `socket`; `current()` is its config now. Returns a closer for its sessions. */
export function serveUdp(
  socket: dgram.Socket,
  current: () => Listener | undefined,
  deps: UdpProxyDeps,
): () => void {
  const sessions = new Map<string, Session | Promise<Session | undefined>>();
  const end = (key: string): void => {
    const s = sessions.get(key);
    sessions.delete(key);
    if (s && !(s instanceof Promise)) {
      clearTimeout(s.timer);
      s.upstream.close();
    }
  };
  const open = async (key: string, client: dgram.RemoteInfo): Promise<Session | undefined> => {
    const proxy = current() ? listenerUdpProxy(current() as Listener) : undefined;
    const name = proxy ? udpProxyCluster(proxy) : undefined;
    const cluster = name ? deps.config.activeCluster(name) : undefined;
    if (!proxy || !cluster) return undefined;
    const host = deps.roundRobin.pick(cluster, await clusterHosts(cluster, deps.config.endpoints(cluster)));
    if (!host) return undefined;
    const upstream = dgram.createSocket('udp4');
    upstream.on('error', () => end(key));
    upstream.on('message', (reply) => {
      socket.send(reply, client.port, client.address);
      const s = sessions.get(key);
      if (s && !(s instanceof Promise)) s.timer.refresh();
    });
    await new Promise<void>((resolve) => upstream.connect(host.port, host.address, resolve));
    // Neither keeps a test process alive: the double's close() ends what is left.
    upstream.unref();
    const timer = setTimeout(() => end(key), idleMs(proxy)).unref();
    return { upstream, timer };
  };
  socket.on('message', (datagram, client) => {
    const key = `${client.address}:${client.port}`;
    const known = sessions.get(key);
    const pending = known ?? open(key, client);
    if (!known) {
      sessions.set(key, pending);
      void (pending as Promise<Session | undefined>).then((s) =>
        s ? sessions.set(key, s) : sessions.delete(key),
      );
    }
    void Promise.resolve(pending).then((s) => {
      if (!s) return;
      s.upstream.send(datagram);
      s.timer.refresh();
    });
  });
  return () => [...sessions.keys()].forEach(end);
}
