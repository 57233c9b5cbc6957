// Jittered exponential backoff: initial, doubled per failure up to a maximum, each delay spread by +-jitter
// so replicas and informers that failed together do not retry in lockstep.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** 0..1: a delay d becomes a random value in [d*(1-jitter), d*(1+jitter)]. */
  jitter?: number;
}

export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 1);
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const base = Math.min(this.initialMs * 2 ** this.failures, this.maxMs);
    this.failures = Math.min(this.failures + 1, 40);
    return Math.round(base * (1 - this.jitter + 2 * this.jitter * this.random()));
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
