// How big a parsed YAML document really is once its aliases are expanded. `yaml` resolves an alias to the
// same JS object, so a 6 MB anchor aliased 99 times costs little to parse but becomes 600 MB as soon as
// anything serializes it (canonical JSON, the API double, a debug dump). Counting with a budget stops early.

/**
 * True when the expanded size (string lengths plus a little per node) of value exceeds limit. Each node is
 * charged when it is pushed, not when it is visited, so the stack never holds more than limit/8 entries: a
 * document whose aliases nest it inside itself (`a: &x [*x, *x, ...]`, a cycle) is refused in the same
 * bounded time and memory as a big one (charged on visit it took 12 s and 3.5 GB).
 */
export function expandsBeyond(value: unknown, limit: number): boolean {
  let budget = limit - 8;
  const stack: unknown[] = [value];
  const push = (item: unknown, keyLength: number): boolean => {
    budget -= 8 + keyLength;
    if (budget < 0) return false;
    stack.push(item);
    return true;
  };
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') budget -= v.length;
    else if (Array.isArray(v)) {
      for (const item of v) if (!push(item, 0)) return true;
    } else if (typeof v === 'object' && v !== null) {
      for (const key in v)
        if (Object.hasOwn(v, key) && !push((v as Record<string, unknown>)[key], key.length)) return true;
    }
    if (budget < 0) return true;
  }
  return false;
}
