// Translation memos, owned by one Translator (one per pipeline), never by a module. An entry is keyed by
// a name (a Service, a cluster, a route configuration of a group) and remembers the inputs it was computed
// from, compared by identity: the model store keeps an object's identity until it really changes, so an
// unchanged Service with unchanged EndpointSlices gets back the very same typed Envoy objects - and
// buildSnapshot, which compares objects by identity, then keeps their bytes without encoding or hashing.
// After every build the entries that build did not use are swept, so a memo holds only what the current
// model references, however many names came and went. Values must be treated as immutable (shared).

interface Entry<V> {
  deps: readonly unknown[];
  value: V;
  /** The build that last used the entry. */
  usedIn: number;
}

export class BuildMemo<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly currentBuild: () => number) {}

  /** The value computed for `key` with these inputs (compared element by element with ===). */
  get(key: string, deps: readonly unknown[], compute: () => V): V {
    const entry = this.entries.get(key);
    if (entry && sameDeps(entry.deps, deps)) {
      entry.usedIn = this.currentBuild();
      return entry.value;
    }
    const value = compute();
    this.entries.set(key, { deps: [...deps], value, usedIn: this.currentBuild() });
    return value;
  }

  /** Drops every entry the current build did not use. */
  sweep(): void {
    const build = this.currentBuild();
    for (const [key, entry] of this.entries) if (entry.usedIn !== build) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A set of memos that share one build counter: begin() before a build, sweep() after it. */
export class MemoSet {
  private build = 0;
  private readonly memos: BuildMemo<unknown>[] = [];

  create<V>(): BuildMemo<V> {
    const memo = new BuildMemo<V>(() => this.build);
    this.memos.push(memo as BuildMemo<unknown>);
    return memo;
  }

  begin(): void {
    this.build++;
  }

  sweep(): void {
    for (const memo of this.memos) memo.sweep();
  }

  /** Entries held by all memos together (for tests and /metrics). */
  size(): number {
    return this.memos.reduce((n, m) => n + m.size, 0);
  }
}
