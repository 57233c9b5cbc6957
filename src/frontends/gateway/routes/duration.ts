// Gateway API durations ("1h", "500ms", "1m30s": GEP-2257, up to four number+unit parts) -> milliseconds.
// The CRD schema already holds them to that grammar; this reads them and says why when one does not parse.

const PART = /([0-9]{1,5})(h|ms|m|s)/y;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds, or undefined when `text` is not a Gateway API duration. */
export function parseGatewayDuration(text: string): number | undefined {
  if (text.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let parts = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== at) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
    parts += 1;
  }
  return parts <= 4 ? total : undefined;
}
