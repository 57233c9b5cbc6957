// A test backend in the spirit of Gateway API conformance's "echo-basic": HTTP/1.1, h2c (prior knowledge)
// and gRPC on one loopback port (or TLS with ALPN h2 and http/1.1), answering with its own name and what it
// received (method, path, host, protocol, SNI, headers, body) as JSON, so a test can assert which backend a
// request reached and how. Every gRPC call, whatever its method (GRPCRoute tests name their own), gets a
// kxds.demo.HelloReply whose served_by is the name and whose message is that JSON; `delayMs` holds every
// answer back (for timeout tests).
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import * as protobuf from 'protobufjs';
import { GREETER_PROTO } from '../../src/demo/greeter';
import { peek, replaying } from './peeked-socket';

export interface EchoedRequest {
  backend: string;
  method: string;
  path: string;
  host: string;
  protocol: string;
  /** The SNI the client sent, on a TLS backend. */
  serverName?: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface EchoBackend {
  name: string;
  host: string;
  port: number;
  /** Every request received, oldest first (mirrored requests included). */
  received: EchoedRequest[];
  close(): Promise<void>;
}

export interface EchoOptions {
  host?: string;
  port?: number;
  delayMs?: number;
  /** Serve TLS with this certificate (ALPN h2 and http/1.1) instead of clear text. */
  tls?: { cert: string; key: string };
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');

function grpcFrame(message: Uint8Array): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

type Answer = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** HTTP/1.1 and h2c (prior knowledge) on one clear-text port. */
function clearTextServer(answer: Answer): net.Server {
  const h1 = http.createServer(answer);
  const h2 = http2.createServer(answer);
  return net.createServer((socket) => {
    void peek(socket, (b) => b.length >= H2_PREFACE.length).then((first) =>
      (first.subarray(0, H2_PREFACE.length).equals(H2_PREFACE) ? h2 : h1).emit(
        'connection',
        replaying(socket, first),
      ),
    );
  });
}

export async function startEchoBackend(name: string, options: EchoOptions = {}): Promise<EchoBackend> {
  const host = options.host ?? '127.0.0.1';
  const reply = new protobuf.Root()
    .loadSync(GREETER_PROTO, { keepCase: true })
    .lookupType('kxds.demo.HelloReply');
  const received: EchoedRequest[] = [];
  const answer = (
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      const echoed: EchoedRequest = {
        backend: name,
        method: String(req.method),
        path: String(req.url),
        host: String(headers[':authority'] ?? headers.host ?? ''),
        protocol: `HTTP/${req.httpVersion}`,
        ...(options.tls ? { serverName: String((req.socket as tls.TLSSocket).servername) } : {}),
        headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(echoed);
      const send = (): void => {
        if (String(headers['content-type'] ?? '').startsWith('application/grpc')) {
          const message = reply
            .encode(reply.fromObject({ message: JSON.stringify(echoed), served_by: name }))
            .finish();
          (res as http2.Http2ServerResponse).writeHead(200, { 'content-type': 'application/grpc' });
          res.addTrailers({ 'grpc-status': '0' });
          (res as http2.Http2ServerResponse).end(grpcFrame(message));
          return;
        }
        const body = JSON.stringify(echoed);
        (res as http.ServerResponse).writeHead(200, {
          'content-type': 'application/json',
          'x-echo-backend': name,
        });
        res.end(body);
      };
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    });
  };
  const sockets = new Set<net.Socket>();
  const server = options.tls
    ? http2.createSecureServer(
        { ...options.tls, allowHTTP1: true, ALPNProtocols: ['h2', 'http/1.1'] },
        answer,
      )
    : clearTextServer(answer);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  return {
    name,
    host,
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
