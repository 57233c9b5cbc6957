// The webhook's serving certificate read from files and re-read when they change. Kubernetes updates a
// mounted Secret by swapping a symlink, which fs.watch misses, so the files are polled by stat (following
// links). A half-updated pair (new cert, old key) fails to load and is retried on the next poll.
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import type { Logger } from '../log';

export interface KeyPair {
  cert: string;
  key: string;
}

function stamp(file: string): string {
  const s = fs.statSync(file);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

/** Reads and checks a certificate/key pair; throws with the file names when they do not form a pair. */
export function loadKeyPair(certFile: string, keyFile: string): KeyPair {
  const pair = { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
  try {
    tls.createSecureContext(pair);
  } catch (err) {
    throw new Error(`${certFile} / ${keyFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return pair;
}

export interface CertificateWatch {
  stop(): void;
}

/**
 * Polls the files every intervalMs and calls onChange with the new pair once it loads. Errors are logged
 * once per change and the previous certificate stays in use.
 */
export function watchCertificateFiles(
  certFile: string,
  keyFile: string,
  intervalMs: number,
  onChange: (pair: KeyPair) => void,
  logger: Logger,
  /** The pair in use was loaded from the files (false: waiting for them to appear). */
  loadedAtStart = true,
): CertificateWatch {
  let loaded = loadedAtStart ? `${stamp(certFile)}|${stamp(keyFile)}` : '';
  let lastFailed = '';
  const timer = setInterval(() => {
    let current: string;
    try {
      current = `${stamp(certFile)}|${stamp(keyFile)}`;
    } catch (err) {
      current = `missing: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (current === loaded) return;
    try {
      const pair = loadKeyPair(certFile, keyFile);
      loaded = current;
      onChange(pair);
      logger.info({ certFile, keyFile }, 'webhook certificate reloaded');
    } catch (err) {
      if (current !== lastFailed) {
        logger.warn(
          { certFile, keyFile, err: err instanceof Error ? err.message : String(err) },
          'webhook certificate files changed but do not load; keeping the previous certificate',
        );
        lastFailed = current;
      }
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
