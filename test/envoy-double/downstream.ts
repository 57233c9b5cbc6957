// One downstream connection, as Envoy's listener takes it: restore its original destination when the
// listener has the original_dst filter (original-dst.ts), read the PROXY protocol header when the listener
// has that filter, peek at the first bytes (only when the TLS inspector or the codec needs them) (TLS ClientHello with
// its SNI, or the HTTP/2 preface), pick the filter chain, terminate TLS with the chain's certificate from
// SDS (ALPN h2 / http/1.1 as the chain offers), and hand the connection to an HTTP/1.1 or HTTP/2 server
// bound to that chain's connection manager, or to the chain's tcp_proxy (the bytes as they came, or
// decrypted first when the chain has a transport socket). Codec AUTO: clear-text HTTP/2 needs prior knowledge (h2c).
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import * as nodeTls from 'node:tls';
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
import { inspectsTls, readsOriginalDst } from './listener-filters';
import type { Destination } from './original-dst';

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
  /** A tcp_proxy chain's connection (TLS passthrough, plain TCP), with its original destination if any. */
  proxyTcp(downstream: Duplex, proxy: TcpProxy, original?: Destination): Promise<void>;
  /** The original destination of a connection to a listener with the original_dst filter. */
  originalDestination(socket: net.Socket): Promise<Destination | undefined>;
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

/** The chain's TLS server settings from its SDS certificates; undefined while one is missing. */
function chainTlsOptions(chain: FilterChain, deps: DownstreamDeps): nodeTls.TlsOptions | undefined {
  const common = chainTls(chain)?.common_tls_context ?? {};
  // Several certificates (RSA and ECDSA, say): node:tls picks per client, as Envoy does.
  const certificates = (common.tls_certificate_sds_secret_configs ?? []).map(
    (c) => deps.secret(String(c.name))?.tls_certificate,
  );
  if (certificates.length === 0 || certificates.some((c) => !c)) return undefined;
  const minVersion = TLS_VERSIONS[String(common.tls_params?.tls_minimum_protocol_version ?? '')];
  return {
    cert: certificates.map((c) => dataSourceBytes(c?.certificate_chain)),
    key: certificates.map((c) => dataSourceBytes(c?.private_key)),
    ...(common.alpn_protocols?.length ? { ALPNProtocols: common.alpn_protocols } : {}),
    ...(minVersion ? { minVersion } : {}),
  };
}

function secureServer(
  chain: FilterChain,
  deps: DownstreamDeps,
  onRequest: OnRequest,
): http2.Http2SecureServer | undefined {
  const options = chainTlsOptions(chain, deps);
  if (!options) return undefined;
  const tlsContext = chainTls(chain);
  const server = http2.createSecureServer(
    { ...options, ...clientCertificateOptions(tlsContext), allowHTTP1: true },
    onRequest,
  );
  // A client certificate the chain refuses closes the connection, as Envoy's failed handshake does.
  server.on('secureConnection', (socket: nodeTls.TLSSocket) => {
    if (!clientAccepted(tlsContext, socket)) socket.destroy();
  });
  return server;
}

/** A tcp_proxy chain with a transport socket: TLS terminated here, the clear bytes relayed (TLSRoute Terminate). */
function terminateThenProxy(
  stream: Duplex,
  chain: FilterChain,
  proxy: TcpProxy,
  deps: DownstreamDeps,
  original: Parameters<DownstreamDeps['proxyTcp']>[2],
): void {
  const options = chainTlsOptions(chain, deps);
  if (!options) return void stream.destroy();
  const secure = new nodeTls.TLSSocket(stream as net.Socket, {
    isServer: true,
    secureContext: nodeTls.createSecureContext(options),
  });
  secure.on('error', () => stream.destroy());
  secure.once('secure', () => void deps.proxyTcp(secure, proxy, original));
}

function readsProxyProtocol(listener: Listener): boolean {
  return (listener.listener_filters ?? []).some(
    (f) => anyTypeUrl(f.typed_config) === DOUBLE_TYPE_URLS.proxyProtocol,
  );
}

export async function acceptConnection(socket: net.Socket, deps: DownstreamDeps): Promise<void> {
  const original = readsOriginalDst(deps.listener) ? await deps.originalDestination(socket) : undefined;
  const destinationPort = original?.port ?? deps.declaredPort;
  const destinationAddress = original?.address ?? socket.localAddress;
  const tlsInspected = inspectsTls(deps.listener, destinationPort);
  // Without the TLS inspector (or the PROXY protocol) Envoy reads nothing before choosing (every connection
  // is raw_buffer), so a plain tcp_proxy chain must not wait for bytes: in server-speaks-first protocols
  // the client sends none.
  if (!tlsInspected && !readsProxyProtocol(deps.listener)) {
    const plain = selectFilterChain(deps.listener, {
      destinationPort,
      destinationAddress,
      transportProtocol: 'raw_buffer',
    });
    const proxy = plain && !plain.transport_socket ? chainTcpProxy(plain) : undefined;
    if (proxy) return deps.proxyTcp(socket, proxy, original);
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
  // Only the TLS inspector tells the chain match about TLS; without it every connection is raw_buffer.
  const seenTls = tls && tlsInspected;
  const chain = selectFilterChain(deps.listener, {
    destinationPort,
    destinationAddress,
    serverName: seenTls ? serverName(first) : undefined,
    transportProtocol: seenTls ? 'tls' : 'raw_buffer',
  });
  const tcpProxy = chain ? chainTcpProxy(chain) : undefined;
  // tcp_proxy without a transport socket relays the bytes as they came: TLS passes through undecrypted.
  if (chain && tcpProxy && !chain.transport_socket)
    return deps.proxyTcp(replaying(socket, first), tcpProxy, original);
  if (chain && tcpProxy && seenTls)
    return terminateThenProxy(replaying(socket, first), chain, tcpProxy, deps, original);
  const hcm = chain ? chainHcm(chain) : undefined;
  // No chain for this connection (an unknown SNI, say): Envoy closes it.
  if (!chain || !hcm || tls !== Boolean(chain.transport_socket)) return void socket.destroy();
  const context: ConnectionContext = {
    listener: deps.listener,
    declaredPort: destinationPort,
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
