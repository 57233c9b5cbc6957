// Notices the moment the API server answers again after an outage, so that informers waiting out a long
// restart backoff start at once instead of up to 30 s later. One cheap request (GET /version) every
// intervalMs, shared by every informer, and only while some informer waits after a failure:
// - the probe fails too: the API server as a whole is away; probing goes on until it answers, and then
//   every waiting informer is woken;
// - the probe answers at once: the failure is the informer's own (one API group down, a 403), so it is
//   not woken and its backoff stands (no restart loop against a server that is up).
import type { Logger } from '../log';
import { statusCodeOf } from './kube-client';

export interface ApiReachabilityOptions {
  /** One request to the API server; resolves or rejects like KubeClient.request. */
  probe: () => Promise<unknown>;
  logger: Logger;
  /** Time between probes while the API server is away (+-20 % jitter); default 250 ms. */
  intervalMs?: number;
}

export class ApiReachability {
  private readonly waiting = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private probing = false;
  /** A probe failed since the last recovery: the next answer is a recovery. */
  private away = false;
  private stopped = false;

  constructor(private readonly options: ApiReachabilityOptions) {}

  /** An informer waits to restart after a failure; `wake` restarts it now. Returns a cancel function. */
  waitForRecovery(wake: () => void): () => void {
    this.waiting.add(wake);
    if (!this.probing && !this.timer) this.schedule(0);
    return () => this.waiting.delete(wake);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runProbe();
    }, delayMs);
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    if (this.waiting.size === 0 || this.stopped) return;
    this.probing = true;
    let answered: boolean;
    try {
      await this.options.probe();
      answered = true;
    } catch (err) {
      // A 4xx is an answer (the server is up); no status, a 5xx or 429 means it is away or overloaded.
      const status = statusCodeOf(err);
      answered = status !== undefined && status < 500 && status !== 429;
    }
    this.probing = false;
    if (this.stopped) return;
    if (!answered) {
      this.away = true;
      const interval = this.options.intervalMs ?? 250;
      this.schedule(interval * (0.8 + 0.4 * Math.random()));
      return;
    }
    const wake = this.away ? [...this.waiting] : [];
    if (this.away) this.options.logger.info({ informers: wake.length }, 'API server answers again');
    this.away = false;
    this.waiting.clear();
    for (const w of wake) w();
  }
}
