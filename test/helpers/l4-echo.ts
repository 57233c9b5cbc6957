// L4 peers for tests of TCP, UDP and TLS proxying on loopback: echo servers that answer every TCP chunk or
// UDP datagram with their own name and what they got ("a:ping"), and one-shot clients for each (a TLS
// client that verifies the server certificate against a CA and the name it sends as SNI).
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as tls from 'node:tls';

export interface L4Echo {
  port: number;
  /** How many datagrams (UDP) or connections (TCP) it has seen. */
  seen(): number;
  close(): Promise<void>;
}

export async function startTcpEcho(name: string, host = '127.0.0.1'): Promise<L4Echo> {
  let seen = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    seen++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => socket.write(`${name}:${chunk.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen: () => seen,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startUdpEcho(name: string, host = '127.0.0.1'): Promise<L4Echo> {
  let seen = 0;
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, peer) => {
    seen++;
    socket.send(`${name}:${msg.toString()}`, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return {
    port: socket.address().port,
    seen: () => seen,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** One TCP connection: sends `text`, resolves with the first chunk back. */
export function tcpExchange(port: number, text: string): Promise<string> {
  return exchangeOn(net.connect({ host: '127.0.0.1', port }), 'connect', text);
}

/** One TLS connection with SNI `serverName`, the server certificate checked against `caPem`. */
export function tlsExchange(port: number, serverName: string, caPem: string, text: string): Promise<string> {
  const socket = tls.connect({ host: '127.0.0.1', port, servername: serverName, ca: caPem });
  return exchangeOn(socket, 'secureConnect', text);
}

function exchangeOn(socket: net.Socket, ready: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once(ready, () => socket.write(text));
    socket.setTimeout(10_000, () => socket.destroy(new Error('exchange timed out')));
    socket.once('data', (chunk) => {
      resolve(chunk.toString());
      socket.end();
    });
    socket.once('close', () => reject(new Error('connection closed before an answer')));
    socket.on('error', reject);
  });
}

/** One UDP session (a fresh client socket): sends `text`, resolves with the first datagram back. */
export function udpExchange(port: number, text: string, timeoutMs = 5000): Promise<string> {
  const socket = dgram.createSocket('udp4');
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no UDP answer')), timeoutMs);
    socket.once('message', (msg) => {
      clearTimeout(timer);
      resolve(msg.toString());
    });
    socket.send(text, port, '127.0.0.1');
  }).finally(() => socket.close());
}
