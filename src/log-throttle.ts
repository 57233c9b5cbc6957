// Rate limits a repeated log line per key (node + type of a NACK, the new-stream limit): the first line of a
// window is written, the rest are counted, and the next line written says how many were left out. Clients
// decide how often they NACK or reconnect; the log's size must not be theirs to decide.

/** What to do with one occurrence: write it (saying how many before it were left out), or count it. */
export type ThrottleVerdict = { write: true; suppressed: number } | { write: false };

export class LogThrottle {
  private readonly windows = new Map<string, { until: number; suppressed: number }>();

  constructor(
    private readonly windowMs = 10_000,
    /** Keys remembered at once; past it the oldest window is forgotten (its count is lost, not the line). */
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  admit(key: string): ThrottleVerdict {
    const now = this.now();
    const window = this.windows.get(key);
    if (window && now < window.until) {
      window.suppressed += 1;
      return { write: false };
    }
    const suppressed = window?.suppressed ?? 0;
    this.windows.delete(key); // re-inserted last: Map order is then oldest-first for eviction
    this.windows.set(key, { until: now + this.windowMs, suppressed: 0 });
    if (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
    return { write: true, suppressed };
  }
}
