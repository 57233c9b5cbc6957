// Clients for connections a test hands to a transparent sidecar (EnvoyDouble.dialRedirected): an HTTP/1.1
// request over an open socket (clear text or TLS), reading until a condition holds, a loopback TCP server
// that speaks first.
import * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One HTTP/1.1 GET over `socket` (already connected: clear text, or a TLS socket). */
export function getOver(socket: Duplex, host: string, path: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { createConnection: () => socket as net.Socket, method: 'GET', path, headers: { host } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${host}${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** What arrives on `socket` until `done` says it is enough (bounded by 10 s). */
export function readUntil(socket: Duplex, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`no complete answer within 10 s (got "${text}")`)),
      10_000,
    );
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (done(text)) finish();
    };
    socket.on('data', onData);
    socket.once('error', finish);
    socket.once('close', () => (done(text) ? finish() : finish(new Error(`closed after "${text}"`))));
  });
}

/** A TCP server that greets first ("NAME ready\n", as MySQL or SMTP do), then echoes "NAME:" + each chunk. */
export async function startGreetingEcho(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(`${name} ready\n`);
    socket.on('data', (chunk) => socket.write(`${name}:${chunk.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
