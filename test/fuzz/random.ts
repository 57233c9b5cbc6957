// Seeded random inputs for `make fuzz`: one small PRNG (mulberry32) so a seed replays the same inputs, and
// generators for bytes, awkward strings, JSON values and mutations of valid text.
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bytes(max: number): Buffer {
    const out = Buffer.alloc(this.int(max + 1));
    for (let i = 0; i < out.length; i++) out[i] = this.int(256);
    return out;
  }

  /** Text that breaks naive handling: empty, huge, control characters, unicode, separators, numbers. */
  string(max = 64): string {
    const kinds = [
      () => '',
      () => 'x'.repeat(this.int(max * 64)),
      () => String.fromCharCode(...Array.from({ length: this.int(max) }, () => this.int(0x10000))),
      () =>
        this.pick(['/', '..', '*', '\u0000', '%00', '${x}', '{{x}}', '-1', '1e309', 'NaN', 'null', 'true']),
      () =>
        Array.from({ length: this.int(max) }, () =>
          this.pick(['a', '.', '/', ':', '-', ' ', '\n', '"']),
        ).join(''),
    ];
    return this.pick(kinds)();
  }

  /** A JSON value of any shape, up to `depth` levels. */
  json(depth = 3): unknown {
    const leaf = (): unknown =>
      this.pick<() => unknown>([
        () => null,
        () => this.bool(),
        () => this.int(2 ** 31) - 2 ** 30,
        () => this.next() * 1e12,
        () => this.string(),
      ])();
    if (depth <= 0 || this.bool(0.3)) return leaf();
    if (this.bool()) return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
    const out: Record<string, unknown> = {};
    for (let i = this.int(5); i > 0; i--)
      out[this.bool(0.7) ? this.string(8) : '__proto__'] = this.json(depth - 1);
    return out;
  }

  /** A valid value with one part replaced by something random (keeps most of the shape, breaks one field). */
  mutateValue(value: unknown, depth = 0): unknown {
    if (depth > 6 || value === null || typeof value !== 'object' || this.bool(0.25)) return this.json(2);
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
    const keys = Object.keys(copy);
    if (keys.length === 0) return this.json(2);
    const key = this.pick(keys);
    if (this.bool(0.15)) delete (copy as Record<string, unknown>)[key];
    else
      (copy as Record<string, unknown>)[key] = this.mutateValue(
        (copy as Record<string, unknown>)[key],
        depth + 1,
      );
    return copy;
  }

  /** Text with random edits: characters changed, lines repeated or dropped, cut short. */
  mutateText(text: string): string {
    let out = text;
    for (let edits = 1 + this.int(4); edits > 0; edits--) {
      const at = this.int(out.length + 1);
      out = this.pick<() => string>([
        () => out.slice(0, at) + this.string(8) + out.slice(at),
        () => out.slice(0, at) + out.slice(at + 1 + this.int(20)),
        () => out.slice(0, at),
        () =>
          out
            .split('\n')
            .flatMap((line) => (this.bool(0.1) ? [line, line] : [line]))
            .join('\n'),
        () => out.replace(/: /g, () => (this.bool(0.05) ? ': &a ' : ': ')),
      ])();
    }
    return out;
  }
}
