// How big a parsed YAML document really is once its aliases are expanded. `yaml` resolves an alias to the
// same JS object, so a 6 MB anchor aliased 99 times costs little to parse but becomes 600 MB as soon as
// anything serializes it (canonical JSON, the API double, a debug dump). Counting with a budget stops early.

/** True when the expanded size (string lengths plus a little per node) of value exceeds limit. */
export function expandsBeyond(value: unknown, limit: number): boolean {
  let budget = limit;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    budget -= 8;
    if (typeof v === 'string') budget -= v.length;
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (typeof v === 'object' && v !== null)
      for (const [key, item] of Object.entries(v)) {
        budget -= key.length;
        stack.push(item);
      }
    if (budget < 0) return true;
  }
  return false;
}
