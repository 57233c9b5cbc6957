// Memoizes a translation step by the identity of its input objects. The model store keeps an object's
// identity until it really changes (an identical upsert is dropped), so an unchanged Service with unchanged
// EndpointSlices gets back the very same typed Envoy objects - and buildSnapshot, which compares objects by
// identity, then keeps their encoded bytes and versions without encoding or hashing anything again.
// Results must be treated as immutable by every consumer (they are shared across builds).

export class IdentityMemo<K extends object, V> {
  private readonly entries = new WeakMap<K, { deps: readonly unknown[]; value: V }>();

  /** The value computed for `key` with these dependencies (compared element by element with ===). */
  get(key: K, deps: readonly unknown[], compute: () => V): V {
    const entry = this.entries.get(key);
    if (entry && sameDeps(entry.deps, deps)) return entry.value;
    const value = compute();
    this.entries.set(key, { deps: [...deps], value });
    return value;
  }
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same for string keys (a node group's name): one entry per key, recomputed when a dependency changes. */
export class KeyedMemo<V> {
  private readonly entries = new Map<string, { deps: readonly unknown[]; value: V }>();

  get(key: string, deps: readonly unknown[], compute: () => V): V {
    const entry = this.entries.get(key);
    if (entry && sameDeps(entry.deps, deps)) return entry.value;
    const value = compute();
    this.entries.set(key, { deps: [...deps], value });
    return value;
  }
}
