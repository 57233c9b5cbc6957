// The kxds agent's loop: get a workload certificate, write it for Envoy, renew it at a fraction of its
// lifetime (half by default, as istio-agent does), retrying failures with backoff, so an Envoy beside it
// always holds a valid short-lived certificate and no long-lived key sits in the namespace.
import type { Logger } from '../log';
import { Backoff } from '../sources/backoff';
import { writeCertificateFiles } from './certificate-files';
import { fetchWorkloadCertificate, type FetchOptions, type WorkloadCertificate } from './fetch-certificate';

export interface AgentOptions extends FetchOptions {
  outputDir: string;
  /** 0 < f < 1: renew when this share of the lifetime has passed. */
  renewFraction?: number;
  logger: Logger;
  /** Retry delays; default 1 s doubling to 60 s. */
  retry?: { initialMs: number; maxMs: number };
}

export class WorkloadCertificateAgent {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly backoff: Backoff;
  /** The certificate written last, if any. */
  current?: WorkloadCertificate;

  constructor(private readonly options: AgentOptions) {
    this.backoff = new Backoff({ initialMs: 1000, maxMs: 60_000, ...options.retry });
  }

  /** One attempt now; writes the files on success. Throws what went wrong. */
  async refresh(): Promise<WorkloadCertificate> {
    const certificate = await fetchWorkloadCertificate(this.options);
    writeCertificateFiles(this.options.outputDir, certificate);
    this.current = certificate;
    this.options.logger.info(
      {
        identity: certificate.identity,
        notAfter: certificate.notAfter.toISOString(),
        dir: this.options.outputDir,
      },
      'workload certificate written',
    );
    return certificate;
  }

  /** Retries with backoff until one certificate is written (an init container waits for kxds to be up). */
  async firstCertificate(): Promise<WorkloadCertificate> {
    for (;;) {
      try {
        return await this.refresh();
      } catch (err) {
        const delayMs = this.backoff.next();
        this.options.logger.warn(
          { err: err instanceof Error ? err.message : String(err), retryInMs: delayMs },
          'no workload certificate yet; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Keeps the certificate fresh until stop(): the first attempt now, renewals on schedule. */
  run(): void {
    this.stopped = false;
    this.attempt();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private attempt(): void {
    this.refresh().then(
      (certificate) => {
        this.backoff.reset();
        this.schedule(renewalDelayMs(certificate, this.options.renewFraction ?? 0.5, Date.now()));
      },
      (err: unknown) => {
        const delayMs = this.backoff.next();
        this.options.logger.warn(
          { err: err instanceof Error ? err.message : String(err), retryInMs: delayMs },
          'workload certificate not renewed; retrying',
        );
        this.schedule(delayMs);
      },
    );
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.attempt(), delayMs);
  }
}

/** When to renew: `fraction` of the way from notBefore to notAfter, never in the past. */
export function renewalDelayMs(certificate: WorkloadCertificate, fraction: number, now: number): number {
  const from = certificate.notBefore.getTime();
  const lifetime = certificate.notAfter.getTime() - from;
  return Math.max(0, from + lifetime * fraction - now);
}
