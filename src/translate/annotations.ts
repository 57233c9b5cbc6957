// Reads kxds.io/* annotations (and, for Ingresses, the ingress-nginx spellings people migrate with) into typed
// values. A value that doesn't parse becomes a warning naming the object, the annotation and the value, and
// the caller's default is used: one typo never removes config.
import type { KubeObject } from '../model/k8s';
import { report, type Statuses } from './findings';

export const KXDS_PREFIX = 'kxds.io/';
export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

/** Where a value came from, so warnings quote the exact annotation the user wrote. */
export interface AnnotationValue {
  annotation: string;
  value: string;
}

export class AnnotationReader {
  private readonly annotations: Record<string, string>;
  /** Most objects carry no annotations: every lookup is then answered without building its key. */
  private readonly none: boolean;

  constructor(
    private readonly object: KubeObject,
    private readonly statuses: Statuses,
  ) {
    this.annotations = object.metadata.annotations ?? {};
    this.none = Object.keys(this.annotations).length === 0;
  }

  /** The raw value of kxds.io/NAME, else nginx.ingress.kubernetes.io/NGINXNAME when an alias is given. */
  raw(name: string, nginxAlias?: string): AnnotationValue | undefined {
    if (this.none) return undefined;
    const own = this.annotations[KXDS_PREFIX + name];
    if (own !== undefined) return { annotation: KXDS_PREFIX + name, value: own.trim() };
    if (nginxAlias !== undefined) {
      const nginx = this.annotations[NGINX_PREFIX + nginxAlias];
      if (nginx !== undefined) return { annotation: NGINX_PREFIX + nginxAlias, value: nginx.trim() };
    }
    return undefined;
  }

  string(name: string, nginxAlias?: string): string | undefined {
    const found = this.raw(name, nginxAlias);
    if (!found) return undefined;
    if (found.value === '') {
      this.warn(found, 'empty value; ignored');
      return undefined;
    }
    return found.value;
  }

  bool(name: string, nginxAlias?: string): boolean | undefined {
    const found = this.raw(name, nginxAlias);
    if (!found) return undefined;
    const v = found.value.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    this.warn(found, 'expected "true" or "false"; ignored');
    return undefined;
  }

  /** A whole number in [min, max]. */
  int(name: string, range: { min: number; max: number }, nginxAlias?: string): number | undefined {
    const found = this.raw(name, nginxAlias);
    if (!found) return undefined;
    if (/^\d+$/.test(found.value)) {
      const n = Number(found.value);
      if (n >= range.min && n <= range.max) return n;
    }
    this.warn(found, `expected a whole number from ${range.min} to ${range.max}; ignored`);
    return undefined;
  }

  /** A duration like "30s", "1m30s", "250ms", "0s"; a bare number means seconds when bareSeconds is set. */
  durationMs(name: string, nginxAlias?: string, bareSeconds = false): number | undefined {
    const found = this.raw(name, nginxAlias);
    if (!found) return undefined;
    const ms = parseDurationMs(found.value, bareSeconds || found.annotation.startsWith(NGINX_PREFIX));
    if (ms !== undefined) return ms;
    this.warn(found, 'expected a duration such as "30s", "1m" or "250ms"; ignored');
    return undefined;
  }

  /** A duration greater than zero (Envoy refuses zero intervals and timeouts where it needs a period). */
  positiveDurationMs(name: string): number | undefined {
    const ms = this.durationMs(name);
    if (ms === undefined || ms > 0) return ms;
    const found = this.raw(name);
    if (found) this.warn(found, 'must be greater than zero; ignored');
    return undefined;
  }

  /** One of a fixed set of words (compared case-insensitively). */
  oneOf<T extends string>(name: string, allowed: readonly T[], nginxAlias?: string): T | undefined {
    const found = this.raw(name, nginxAlias);
    if (!found) return undefined;
    const v = found.value.toLowerCase();
    const match = allowed.find((a) => a.toLowerCase() === v);
    if (match !== undefined) return match;
    this.warn(found, `expected one of ${allowed.join(', ')}; ignored`);
    return undefined;
  }

  /** A valid value that, with another setting, does nothing or more than meant. */
  incompatible(found: AnnotationValue, reason: string): void {
    report(this.statuses, this.object, 'IncompatibleSettings', `annotation ${found.annotation}: ${reason}`);
  }

  warn(found: AnnotationValue, reason: string): void {
    report(
      this.statuses,
      this.object,
      'InvalidAnnotation',
      `annotation ${found.annotation}: invalid value "${found.value}": ${reason}`,
    );
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations ("1h2m3s", "250ms"); bare numbers are seconds when allowed (ingress-nginx style). */
export function parseDurationMs(text: string, bareSeconds: boolean): number | undefined {
  if (bareSeconds && /^\d+$/.test(text)) return Number(text) * 1000;
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  let ms = 0;
  for (const [, value, unit] of parts) ms += Number(value) * (UNIT_MS[unit ?? 's'] ?? 1000);
  // Envoy durations have nanosecond precision, but sub-millisecond timeouts are always a typo.
  return Number.isFinite(ms) && ms <= 315_576_000_000_000 ? Math.round(ms) : undefined;
}
