// Mutual TLS on the xDS port (`--xds-tls-cert/--xds-tls-key/--xds-client-ca`): only a client holding a
// certificate signed by the client CA is served. The files are polled and a new, complete set replaces the
// old one without a restart (Kubernetes updates a mounted Secret by swapping a symlink, which fs.watch
// misses); a half-written set is skipped and the previous one stays in use.
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log';

export interface XdsServerTls {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

/** Checks the flag combination; undefined when no TLS flag is given (plaintext xDS). */
export function xdsServerTls(flags: {
  xdsTlsCert?: string;
  xdsTlsKey?: string;
  xdsClientCa?: string;
}): XdsServerTls | undefined {
  const { xdsTlsCert, xdsTlsKey, xdsClientCa } = flags;
  if (!xdsTlsCert && !xdsTlsKey && !xdsClientCa) return undefined;
  if (!xdsTlsCert || !xdsTlsKey || !xdsClientCa)
    throw new Error(
      '--xds-tls-cert, --xds-tls-key and --xds-client-ca go together: the xDS port requires mutual TLS',
    );
  return { certFile: xdsTlsCert, keyFile: xdsTlsKey, clientCaFile: xdsClientCa };
}

interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

/** Reads the three files and checks that they form a usable server context; the error names the files. */
export function loadXdsServerTls(files: XdsServerTls): TlsMaterial {
  const read = (file: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new Error(`xDS TLS: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const material = { cert: read(files.certFile), key: read(files.keyFile), ca: read(files.clientCaFile) };
  try {
    tls.createSecureContext(material);
  } catch (err) {
    throw new Error(
      `xDS TLS: ${files.certFile}, ${files.keyFile} and ${files.clientCaFile} do not form a valid ` +
        `certificate, key and CA: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return material;
}

function stamp(files: XdsServerTls): string {
  return [files.certFile, files.keyFile, files.clientCaFile]
    .map((file) => {
      try {
        const s = fs.statSync(file);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

/**
 * A grpc-js certificate provider fed from the files, re-read when their stat changes. With waitForFiles,
 * files missing at start are waited for (kxds's own issuer writes the Secret they are mounted from): until
 * they load, grpc-js closes every connection to the port.
 */
export class ReloadingCertificateProvider implements grpc.experimental.CertificateProvider {
  private material?: TlsMaterial;
  private loadedStamp: string;
  private failedStamp = '';
  private readonly caListeners = new Set<grpc.experimental.CaCertificateUpdateListener>();
  private readonly identityListeners = new Set<grpc.experimental.IdentityCertificateUpdateListener>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly files: XdsServerTls,
    private readonly logger: Logger,
    intervalMs = 10_000,
    waitForFiles = false,
  ) {
    this.loadedStamp = stamp(files);
    if (waitForFiles && this.loadedStamp.includes('missing')) {
      this.loadedStamp = '';
      logger.info(
        { certFile: files.certFile },
        'xDS TLS files not there yet: the xDS port refuses connections until they appear',
      );
    } else this.material = loadXdsServerTls(files);
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  /** Reloads now if the files changed; returns whether a new set is in use. */
  poll(): boolean {
    const current = stamp(this.files);
    if (current === this.loadedStamp) return false;
    try {
      this.material = loadXdsServerTls(this.files);
    } catch (err) {
      if (current !== this.failedStamp) {
        this.failedStamp = current;
        this.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          this.material
            ? 'xDS TLS files changed but do not load; keeping the previous certificate'
            : 'xDS TLS files do not load yet; still refusing connections',
        );
      }
      return false;
    }
    const first = this.loadedStamp === '';
    this.loadedStamp = current;
    for (const listener of this.caListeners) this.sendCa(listener);
    for (const listener of this.identityListeners) this.sendIdentity(listener);
    this.logger.info(
      { certFile: this.files.certFile },
      first ? 'xDS TLS certificate loaded' : 'xDS TLS certificate reloaded',
    );
    return true;
  }

  /** Whether a certificate is in use (false while waiting for the files). */
  get loaded(): boolean {
    return this.material !== undefined;
  }

  private sendCa(listener: grpc.experimental.CaCertificateUpdateListener): void {
    if (this.material) listener({ caCertificate: this.material.ca });
  }

  private sendIdentity(listener: grpc.experimental.IdentityCertificateUpdateListener): void {
    if (this.material) listener({ certificate: this.material.cert, privateKey: this.material.key });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  addCaCertificateListener(listener: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.add(listener);
    // Deferred: grpc-js registers its own watcher only after this returns, and would miss a synchronous call.
    queueMicrotask(() => this.sendCa(listener));
  }

  removeCaCertificateListener(listener: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.add(listener);
    queueMicrotask(() => this.sendIdentity(listener));
  }

  removeIdentityCertificateListener(listener: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.delete(listener);
  }
}

export interface XdsServerCredentials {
  credentials: grpc.ServerCredentials;
  provider: ReloadingCertificateProvider;
}

/** Server credentials that require a client certificate signed by the client CA. Throws on bad files (and on missing ones unless waitForFiles). */
export function xdsServerCredentials(
  files: XdsServerTls,
  logger: Logger,
  reloadIntervalMs?: number,
  waitForFiles = false,
): XdsServerCredentials {
  const provider = new ReloadingCertificateProvider(files, logger, reloadIntervalMs, waitForFiles);
  const credentials = grpc.experimental.createCertificateProviderServerCredentials(provider, provider, true);
  return { credentials, provider };
}
