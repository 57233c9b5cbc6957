// Turns server-side ACK events into convergence times, the same way for kxds and for the reference server:
// every build (snapshot) gets an index, every change is attributed to the first build after it, and a
// stream has converged on a change when it ACKs that build's version (or a later one).
import { nowMs } from './stats';

interface Change {
  at: number;
  build?: number;
  builtAt?: number;
}

export class ConvergenceLog {
  builds = 0;
  private readonly buildOfVersion = new Map<string, number>();
  private readonly changes: Change[] = [];
  /** stream id -> [build index, ack time] in arrival order. */
  private readonly acks = new Map<string, [number, number][]>();

  /** A change was applied now. Returns its index. */
  change(): number {
    this.changes.push({ at: nowMs() });
    return this.changes.length - 1;
  }

  /**
   * A build happened; `version` is what its streams will ACK (undefined: a build this log does not track).
   * The changes made since the previous build belong to it.
   */
  build(version: string | undefined): void {
    this.builds++;
    if (version !== undefined && !this.buildOfVersion.has(version))
      this.buildOfVersion.set(version, this.builds);
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const change = this.changes[i] as Change;
      if (change.build !== undefined) break;
      change.build = this.builds;
      change.builtAt = nowMs();
    }
  }

  /** A stream ACKed a version (versions of builds this log never saw are ignored). */
  ack(stream: string, version: string): void {
    const build = this.buildOfVersion.get(version);
    if (build === undefined) return;
    let list = this.acks.get(stream);
    if (!list) this.acks.set(stream, (list = []));
    list.push([build, nowMs()]);
  }

  /** Streams (by ACK) that have converged on the change. */
  convergedStreams(change: number): number {
    const build = this.changes[change]?.build;
    if (build === undefined) return 0;
    let n = 0;
    for (const list of this.acks.values()) if (list.some(([b]) => b >= build)) n++;
    return n;
  }

  /** Per stream, ms from the change to its first ACK of a build that includes it (missing streams skipped). */
  latencies(change: number): number[] {
    const c = this.changes[change];
    if (!c || c.build === undefined) return [];
    const out: number[] = [];
    for (const list of this.acks.values()) {
      const hit = list.find(([b]) => b >= (c.build as number));
      if (hit) out.push(hit[1] - c.at);
    }
    return out;
  }

  /** ms from the change to the build it was attributed to (undefined: not built yet). */
  buildMs(change: number): number | undefined {
    const c = this.changes[change];
    return c?.builtAt === undefined ? undefined : c.builtAt - c.at;
  }

  changeCount(): number {
    return this.changes.length;
  }

  async waitConverged(change: number, streams: number, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.convergedStreams(change) >= streams) return true;
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }
}
