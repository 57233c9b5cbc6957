// The double's real sockets: one loopback server per Listener, bound to the port the test mapped the
// listener's declared port to (or a free one), reconciled with every accepted LDS update: new listeners
// bound, removed ones closed, a changed port rebound. Connections read the listener's current config when
// they arrive, so a changed listener (new chain, new certificate) applies without rebinding.
import * as net from 'node:net';
import type { Listener } from '../../src/xds/types';
import type { ConfigStore } from './config-store';
import { acceptConnection, type DownstreamDeps, type RequestHandler } from './downstream';
import { listenerPort } from './listener-config';
import type { OriginalDestinations } from './original-dst';

interface Bound {
  server: net.Server;
  declaredPort: number;
  port: number;
  sockets: Set<net.Socket>;
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
  ) {}

  /** Brings the sockets in line with the listeners held now; calls are serialized. */
  reconcile(): Promise<void> {
    this.queue = this.queue.then(() => this.reconcileNow());
    return this.queue;
  }

  /** The loopback port serving the listener declared on `declaredPort`. */
  port(declaredPort: number): number | undefined {
    return [...this.bound.values()].find((b) => b.declaredPort === declaredPort)?.port;
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
    this.bound.set(name, { server, declaredPort, port: (server.address() as net.AddressInfo).port, sockets });
  }

  private async unbind(name: string): Promise<void> {
    const bound = this.bound.get(name);
    if (!bound) return;
    this.bound.delete(name);
    for (const socket of bound.sockets) socket.destroy();
    await new Promise<void>((resolve) => bound.server.close(() => resolve()));
  }
}
