// The double's stand-in for iptables' REDIRECT and the original_dst listener filter: a test dials a
// listener "as if" the app had connected to some other address (a Service's ClusterIP:port, or an address
// outside the cluster), and the double looks that original destination up by the client socket's port, as
// Envoy reads SO_ORIGINAL_DST from the kernel. A connection nobody registered keeps its own local address,
// as on a socket iptables did not redirect.
import * as net from 'node:net';

export interface Destination {
  address: string;
  port: number;
}

/** How long an accepted connection waits for its registration (the dialler registers after connecting). */
const REGISTRATION_WAIT_MS = 2000;

export class OriginalDestinations {
  private readonly byClientPort = new Map<number, Destination>();
  private readonly waiting = new Map<number, (d: Destination) => void>();

  /** A loopback connection to `port` whose original destination is `destination`. */
  async dial(port: number, destination: Destination): Promise<net.Socket> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const clientPort = socket.localPort as number;
    this.byClientPort.set(clientPort, destination);
    socket.once('close', () => this.byClientPort.delete(clientPort));
    this.waiting.get(clientPort)?.(destination);
    return socket;
  }

  /** The original destination of an accepted connection (undefined: not redirected). */
  lookup(socket: net.Socket): Promise<Destination | undefined> {
    const clientPort = socket.remotePort as number;
    const known = this.byClientPort.get(clientPort);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(clientPort);
        resolve(undefined);
      }, REGISTRATION_WAIT_MS);
      this.waiting.set(clientPort, (d) => {
        clearTimeout(timer);
        this.waiting.delete(clientPort);
        resolve(d);
      });
    });
  }
}
