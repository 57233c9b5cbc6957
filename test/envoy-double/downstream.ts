// One downstream connection, as Envoy's listener takes it: read the PROXY protocol header when the listener
// has that filter, peek at the first bytes (TLS ClientHello with
// its SNI, or the HTTP/2 preface), pick the filter chain, terminate TLS with the chain's certificate from
// SDS (ALPN h2 / http/1.1 as the chain offers), and hand the connection to an HTTP/1.1 or HTTP/2 server
// bound to that chain's connection manager, or to the chain's tcp_proxy. Codec AUTO: clear-text HTTP/2 needs prior knowledge (h2c).
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import type * as tls from 'node:tls';
import type { Listener, Secret } from '../../src/xds/types';
import type { FilterChain } from '../../src/generated/envoy/config/listener/v3/FilterChain';
import type { HttpConnectionManager } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import { helloComplete, isTls, serverName } from './client-hello';
import { dataSourceBytes } from './data-source';
import { selectFilterChain } from './filter-chain-match';
import { chainHcm, chainTls } from './listener-config';
import { peek, replaying } from './peeked-socket';
import { readProxyHeader } from './proxy-protocol';
import { anyTypeUrl } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';
import { clientAccepted, clientCertificateOptions } from './client-certificates';
import { chainTcpProxy } from './tcp-proxy';
import type { TcpProxy } from '../../src/generated/envoy/extensions/filters/network/tcp_proxy/v3/TcpProxy';
import type { Duplex } from 'node:stream';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');

export interface ConnectionContext {
  listener: Listener;
  declaredPort: number;
  hcm: HttpConnectionManager;
  scheme: 'http' | 'https';
  /** The connection's remote address: the PROXY protocol's source when the listener reads it, else the peer. */
  remoteAddress: string;
  /** The TCP peer, whatever the PROXY protocol said. */
  directRemoteAddress: string;
}

export type RequestHandler = (
  context: ConnectionContext,
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

export interface DownstreamDeps {
  listener: Listener;
  declaredPort: number;
  secret(name: string): Secret | undefined;
  handle: RequestHandler;
  /** A tcp_proxy chain's connection (TLS passthrough, plain TCP). */
  proxyTcp(downstream: Duplex, proxy: TcpProxy): Promise<void>;
}

const TLS_VERSIONS: Readonly<Record<string, 'TLSv1.2' | 'TLSv1.3' | 'TLSv1.1' | 'TLSv1'>> = {
  TLSv1_0: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
};

type OnRequest = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

function secureServer(
  chain: FilterChain,
  deps: DownstreamDeps,
  onRequest: OnRequest,
): http2.Http2SecureServer | undefined {
  const common = chainTls(chain)?.common_tls_context ?? {};
  // Several certificates (RSA and ECDSA, say): node:tls picks per client, as Envoy does.
  const certificates = (common.tls_certificate_sds_secret_configs ?? []).map(
    (c) => deps.secret(String(c.name))?.tls_certificate,
  );
  if (certificates.length === 0 || certificates.some((c) => !c)) return undefined;
  const minVersion = TLS_VERSIONS[String(common.tls_params?.tls_minimum_protocol_version ?? '')];
  const server = http2.createSecureServer(
    {
      cert: certificates.map((c) => dataSourceBytes(c?.certificate_chain)),
      key: certificates.map((c) => dataSourceBytes(c?.private_key)),
      allowHTTP1: true,
      ...(common.alpn_protocols?.length ? { ALPNProtocols: common.alpn_protocols } : {}),
      ...(minVersion ? { minVersion } : {}),
      ...clientCertificateOptions(chainTls(chain)),
    },
    onRequest,
  );
  // A client certificate the chain refuses closes the connection, as Envoy's failed handshake does.
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    if (!clientAccepted(chainTls(chain), socket)) socket.destroy();
  });
  return server;
}

function readsProxyProtocol(listener: Listener): boolean {
  return (listener.listener_filters ?? []).some(
    (f) => anyTypeUrl(f.typed_config) === DOUBLE_TYPE_URLS.proxyProtocol,
  );
}

export async function acceptConnection(socket: net.Socket, deps: DownstreamDeps): Promise<void> {
  // Without the TLS inspector Envoy reads nothing before choosing (every connection is raw_buffer), so a
  // plain tcp_proxy chain must not wait for bytes: in server-speaks-first protocols the client sends none.
  if ((deps.listener.listener_filters ?? []).length === 0) {
    const plain = selectFilterChain(deps.listener, {
      destinationPort: deps.declaredPort,
      transportProtocol: 'raw_buffer',
    });
    const proxy = plain && !plain.transport_socket ? chainTcpProxy(plain) : undefined;
    if (proxy) return deps.proxyTcp(socket, proxy);
  }
  let remoteAddress = socket.remoteAddress ?? '';
  let already: Buffer = Buffer.alloc(0);
  if (readsProxyProtocol(deps.listener)) {
    const header = await readProxyHeader(socket);
    if (!header.ok) return void socket.destroy();
    remoteAddress = header.source ?? remoteAddress;
    already = header.rest;
  }
  const first = await peek(
    socket,
    (b) => (b.length > 0 && isTls(b) ? helloComplete(b) : b.length >= H2_PREFACE.length),
    already,
  );
  const tls = isTls(first);
  const chain = selectFilterChain(deps.listener, {
    destinationPort: deps.declaredPort,
    serverName: tls ? serverName(first) : undefined,
    transportProtocol: tls ? 'tls' : 'raw_buffer',
  });
  const tcpProxy = chain ? chainTcpProxy(chain) : undefined;
  // tcp_proxy without a transport socket relays the bytes as they came: TLS passes through undecrypted.
  if (chain && tcpProxy && !chain.transport_socket) return deps.proxyTcp(replaying(socket, first), tcpProxy);
  const hcm = chain ? chainHcm(chain) : undefined;
  // No chain for this connection (an unknown SNI, say): Envoy closes it.
  if (!chain || !hcm || tls !== Boolean(chain.transport_socket)) return void socket.destroy();
  const context: ConnectionContext = {
    listener: deps.listener,
    declaredPort: deps.declaredPort,
    hcm,
    scheme: tls ? 'https' : 'http',
    remoteAddress,
    directRemoteAddress: socket.remoteAddress ?? '',
  };
  const onRequest: OnRequest = (req, res) => deps.handle(context, req, res);
  const stream = replaying(socket, first);
  if (tls) {
    const server = secureServer(chain, deps, onRequest);
    if (!server) return void socket.destroy();
    server.emit('connection', stream);
  } else if (first.subarray(0, H2_PREFACE.length).equals(H2_PREFACE)) {
    http2.createServer(onRequest).emit('connection', stream);
  } else {
    http.createServer(onRequest).emit('connection', stream);
  }
}
