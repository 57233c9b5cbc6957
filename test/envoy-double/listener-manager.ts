// The double's real sockets: one loopback server per Listener, bound to the port the test mapped the
// listener's declared port to (or a free one), reconciled with every accepted LDS update: new listeners
// bound, removed ones closed, a changed port rebound. Connections read the listener's current config when
// they arrive, so a changed listener (new chain, new certificate) applies without rebinding. A UDP listener
// (udp_proxy) gets a loopback datagram socket instead (udp-proxy.ts); its port is apart from the TCP ones.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Listener } from '../../src/xds/types';
import type { ConfigStore } from './config-store';
import { acceptConnection, type DownstreamDeps, type RequestHandler } from './downstream';
import { listenerPort } from './listener-config';
import type { OriginalDestinations } from './original-dst';
import { serveUdp, type UdpProxyDeps } from './udp-proxy';

interface Bound {
  close(): Promise<void>;
  declaredPort: number;
  udp: boolean;
  port: number;
}

function isUdp(listener: Listener): boolean {
  return listener.address?.socket_address?.protocol === 'UDP';
}

export class ListenerManager {
  private readonly bound = new Map<string, Bound>();
  private queue: Promise<void> = Promise.resolve();
  private readonly bindErrors = new Map<string, string>();

  constructor(
    private readonly config: ConfigStore,
    private readonly handle: RequestHandler,
    private readonly proxyTcp: DownstreamDeps['proxyTcp'],
    private readonly originals: OriginalDestinations,
    private readonly portMap: Readonly<Record<number, number>> = {},
    private readonly udpDeps?: UdpProxyDeps,
  ) {}

  /** Brings the sockets in line with the listeners held now; calls are serialized. */
  reconcile(): Promise<void> {
    this.queue = this.queue.then(() => this.reconcileNow());
    return this.queue;
  }

  /** The loopback port serving the (TCP, or with `udp` the UDP) listener declared on `declaredPort`. */
  port(declaredPort: number, udp = false): number | undefined {
    return [...this.bound.values()].find((b) => b.declaredPort === declaredPort && b.udp === udp)?.port;
  }

  /** Why a listener could not be bound, if one could not. */
  bindError(): string | undefined {
    return [...this.bindErrors.values()][0];
  }

  /** Whether every listener held now has its socket. */
  allBound(): boolean {
    return [...this.config.listeners.values()].every(
      (l) => this.bound.get(String(l.name))?.declaredPort === listenerPort(l),
    );
  }

  async close(): Promise<void> {
    await this.queue;
    await Promise.all([...this.bound.keys()].map((name) => this.unbind(name)));
  }

  private async reconcileNow(): Promise<void> {
    const listeners = this.config.listeners;
    for (const [name, bound] of this.bound) {
      const listener = listeners.get(name);
      if (!listener || listenerPort(listener) !== bound.declaredPort) await this.unbind(name);
    }
    for (const [name, listener] of listeners) {
      if (this.bound.has(name)) continue;
      try {
        await this.bind(name, listener);
        this.bindErrors.delete(name);
      } catch (err) {
        // A mapped port another program holds: ready() reports it instead of waiting in vain.
        this.bindErrors.set(name, `listener ${name} (port ${listenerPort(listener)}): ${String(err)}`);
      }
    }
  }

  private async bind(name: string, listener: Listener): Promise<void> {
    if (isUdp(listener)) return this.bindUdp(name, listener);
    const declaredPort = listenerPort(listener);
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      const current = this.config.listeners.get(name);
      if (!current) return void socket.destroy();
      void acceptConnection(socket, {
        listener: current,
        declaredPort,
        secret: (secretName) => this.config.secret(secretName),
        handle: this.handle,
        proxyTcp: this.proxyTcp,
        originalDestination: (s) => this.originals.lookup(s),
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portMap[declaredPort] ?? 0, '127.0.0.1', () => resolve());
    });
    const close = async (): Promise<void> => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    const port = (server.address() as net.AddressInfo).port;
    this.bound.set(name, { close, declaredPort, udp: false, port });
  }

  private async bindUdp(name: string, listener: Listener): Promise<void> {
    const declaredPort = listenerPort(listener);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.portMap[declaredPort] ?? 0, '127.0.0.1', () => resolve());
    });
    if (!this.udpDeps) throw new Error('no udp_proxy dependencies');
    const endSessions = serveUdp(socket, () => this.config.listeners.get(name), this.udpDeps);
    const close = async (): Promise<void> => {
      endSessions();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    };
    this.bound.set(name, { close, declaredPort, udp: true, port: socket.address().port });
  }

  private async unbind(name: string): Promise<void> {
    const bound = this.bound.get(name);
    if (!bound) return;
    this.bound.delete(name);
    await bound.close();
  }
}
