// The sidecar injector's HTTPS endpoint: POST /mutate (alias /inject) answers AdmissionReview v1, GET
// /healthz answers "ok". Every bad request gets a 4xx naming the reason; nothing a client sends can throw out
// of the handler. The certificate comes from files (reloaded when they change; waited for when asked) or is
// generated at start.
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../log';
import { handleAdmission, isPodCreate } from './admission-handler';
import { podShapeErrors } from './pod-shape';
import { INJECT_LABEL, NAMESPACE_INJECT_ENABLED } from './annotations';
import { parseAdmissionReview, reviewResponse } from './admission-review';
import { loadKeyPair, watchCertificateFiles, type CertificateWatch, type KeyPair } from './certificate-files';
import { readBody } from './http-body';
import { generateServingCertificate } from './serving-cert';
import type { InjectionSettings } from './settings';

export const MUTATE_PATHS: ReadonlySet<string> = new Set(['/mutate', '/inject']);
/**
 * For a webhook whose namespaceSelector already requires kxds.io/inject=enabled: the API server has checked
 * the namespace label, so injection does not depend on kxds's namespace watch having seen it (no start-up
 * or new-namespace race). Query strings are not allowed in a webhook's service path, hence a path.
 */
export const ENABLED_NAMESPACE_PATH = '/mutate/namespace-enabled';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface WebhookServerOptions {
  /** HOST:PORT to listen on, e.g. 0.0.0.0:8443 (`--webhook-address`); port 0 picks a free one. */
  address: string;
  /** PEM files (`--webhook-cert`, `--webhook-key`); both or neither. Without them a certificate is generated. */
  certFile?: string;
  keyFile?: string;
  /** DNS names and IPs of a generated certificate (see serviceDnsNames); default localhost and 127.0.0.1. */
  generatedHosts?: string[];
  settings: InjectionSettings;
  /** Labels of a namespace as kxds last saw them; default: none known. */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  logger?: Logger;
  maxBodyBytes?: number;
  /** How often certificate files are checked for changes (default 5 s). */
  certReloadIntervalMs?: number;
  /**
   * Files missing at start are waited for (kxds's own issuer writes the Secret they are mounted from): until
   * they appear every TLS handshake fails. Default: missing files are an error.
   */
  waitForCertificateFiles?: boolean;
}

export interface WebhookServer {
  /** https://HOST:PORT as bound. */
  url: string;
  port: number;
  /** The CA of a generated certificate, for the MutatingWebhookConfiguration's caBundle; undefined with files. */
  caPem?: string;
  /** False while waiting for certificate files to appear (waitForCertificateFiles). */
  hasCertificate(): boolean;
  close(): Promise<void>;
}

function parseListenAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new Error(`--webhook-address "${address}": expected HOST:PORT`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

function reply(
  res: ServerResponse,
  status: number,
  reason: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${reason}\n`);
}

function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

async function handleMutate(
  req: IncomingMessage,
  res: ServerResponse,
  options: WebhookServerOptions,
  logger: Logger,
  namespaceEnabled: boolean,
): Promise<void> {
  if (req.method !== 'POST')
    return reply(res, 405, `method ${req.method} not allowed: use POST`, { allow: 'POST' });
  if (!isJsonContentType(req.headers['content-type'])) {
    return reply(
      res,
      415,
      `content type ${JSON.stringify(req.headers['content-type'] ?? '')}: expected application/json`,
    );
  }
  const body = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (!body.ok) return reply(res, body.status, body.reason, { connection: 'close' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.body.toString('utf8'));
  } catch (err) {
    return reply(res, 400, `malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const review = parseAdmissionReview(parsed);
  if (!review.valid) return reply(res, 400, `not an AdmissionReview v1: ${review.errors.join('; ')}`);
  if (isPodCreate(review.value.request)) {
    const errors = podShapeErrors(review.value.request.object);
    if (errors.length > 0) {
      const { namespace, object } = review.value.request;
      const name = (object as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
      const ref = `Pod ${namespace ?? ''}/${typeof name === 'string' ? name : '<unnamed>'}`;
      return reply(res, 400, `${ref} is not a well-formed Pod: ${errors.slice(0, 20).join('; ')}`);
    }
  }
  const response = handleAdmission(review.value.request, {
    settings: options.settings,
    namespaceLabels: namespaceEnabled
      ? (namespace) => ({ ...options.namespaceLabels?.(namespace), [INJECT_LABEL]: NAMESPACE_INJECT_ENABLED })
      : (options.namespaceLabels ?? (() => undefined)),
    logger,
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(reviewResponse(response)));
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: WebhookServerOptions,
  logger: Logger,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return reply(res, 405, 'use GET', { allow: 'GET, HEAD' });
    return reply(res, 200, 'ok');
  }
  if (path === ENABLED_NAMESPACE_PATH) return handleMutate(req, res, options, logger, true);
  if (!MUTATE_PATHS.has(path ?? '')) return reply(res, 404, `no such path: ${path}; use POST /mutate`);
  return handleMutate(req, res, options, logger, false);
}

/** The pair to start with; undefined while waiting for certificate files to appear. */
async function initialKeyPair(
  options: WebhookServerOptions,
): Promise<(KeyPair & { caPem?: string }) | undefined> {
  if (Boolean(options.certFile) !== Boolean(options.keyFile)) {
    throw new Error('--webhook-cert and --webhook-key go together');
  }
  if (options.certFile && options.keyFile) {
    const missing = [options.certFile, options.keyFile].some((file) => !fs.existsSync(file));
    if (missing && options.waitForCertificateFiles) return undefined;
    return loadKeyPair(options.certFile, options.keyFile);
  }
  const generated = await generateServingCertificate({
    hosts: options.generatedHosts ?? ['localhost', '127.0.0.1'],
  });
  return { cert: generated.certPem, key: generated.keyPem, caPem: generated.caPem };
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const logger = (options.logger ?? silentLogger).child({ component: 'webhook' });
  const { host, port } = parseListenAddress(options.address);
  const pair = await initialKeyPair(options);
  if (!pair) logger.info({ certFile: options.certFile }, 'certificate files not there yet: waiting for them');
  const server = https.createServer(
    {
      ...(pair ? { cert: pair.cert, key: pair.key } : {}),
      // The documented 10 s bounds, enforced at that time: a TLS handshake (also a socket that never says
      // ClientHello), the headers and the whole request. Node checks request timeouts only every
      // connectionsCheckingInterval (30 s by default), which let slow clients last 27-29 s.
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      headersTimeout: REQUEST_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 500,
    },
    (req, res) => {
      handleRequest(req, res, options, logger).catch((err: unknown) => {
        logger.error(
          { err: err instanceof Error ? err.message : String(err), path: req.url },
          'webhook request failed',
        );
        if (!res.headersSent) reply(res, 500, 'internal error', { connection: 'close' });
        else res.destroy();
      });
    },
  );
  // headersTimeout counts from a request's first byte and is checked on an interval; a client dripping its
  // first request's headers after the handshake is cut at 10 s exactly by its own timer instead.
  const firstRequestDeadline = new WeakMap<object, NodeJS.Timeout>();
  server.on('secureConnection', (socket) => {
    const timer = setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS);
    timer.unref();
    firstRequestDeadline.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (req) => clearTimeout(firstRequestDeadline.get(req.socket)));
  server.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'TLS handshake failed'));

  let hasCertificate = pair !== undefined;
  let watch: CertificateWatch | undefined;
  if (options.certFile && options.keyFile) {
    watch = watchCertificateFiles(
      options.certFile,
      options.keyFile,
      options.certReloadIntervalMs ?? 5000,
      (next) => {
        server.setSecureContext({ cert: next.cert, key: next.key });
        hasCertificate = true;
      },
      logger,
      pair !== undefined,
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err: err.message }, 'webhook server error'));
  const bound = server.address() as AddressInfo;
  const urlHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  logger.info(
    { address: `${urlHost}:${bound.port}`, generated: pair?.caPem !== undefined },
    'webhook listening',
  );
  return {
    url: `https://${urlHost}:${bound.port}`,
    port: bound.port,
    caPem: pair?.caPem,
    hasCertificate: () => hasCertificate,
    close: () =>
      new Promise<void>((resolve) => {
        watch?.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
