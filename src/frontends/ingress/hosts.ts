// Ingress host names: validation, and the one-label rule for wildcards. Envoy's "*.foo.com" domain
// matches any number of labels, but the Ingress API says "*.foo.com" matches "bar.foo.com" only, not
// "baz.bar.foo.com" or "foo.com"; routes of a wildcard host therefore also match :authority by regex.
import type { Ingress } from '../../model/k8s';
import { report, type Statuses } from '../../translate/findings';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const HOST = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*$`);

/** The host lowercased, or undefined when it is not a DNS subdomain (optionally with a leading "*."). */
export function normalizeHost(host: string): string | undefined {
  const lower = host.trim().toLowerCase();
  if (lower.length === 0 || lower.length > 253 || !HOST.test(lower)) return undefined;
  if (/^[0-9.]+$/.test(lower)) return undefined;
  return lower;
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*.');
}

/** Does a TLS host entry cover a rule host? Exact names, or a wildcard covering one label. */
export function tlsHostCovers(tlsHost: string, ruleHost: string): boolean {
  if (tlsHost === ruleHost) return true;
  if (!isWildcardHost(tlsHost) || isWildcardHost(ruleHost)) return false;
  const suffix = tlsHost.slice(1);
  return ruleHost.endsWith(suffix) && !ruleHost.slice(0, -suffix.length).includes('.');
}

/** Exact hosts first, then wildcards, then "*"; alphabetical within each. */
export function compareHosts(a: string, b: string): number {
  const rank = (h: string) => (h === '*' ? 2 : isWildcardHost(h) ? 1 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A rule's host ("*" when it names none), or undefined once it is reported as not a valid host name. */
export function ruleHost(
  rule: NonNullable<Ingress['spec']['rules']>[number],
  ingress: Ingress,
  warnings: Statuses,
): string | undefined {
  const host = rule.host === undefined || rule.host === '' ? '*' : normalizeHost(rule.host);
  if (!host)
    report(
      warnings,
      ingress,
      'InvalidHost',
      `rule host "${rule.host ?? ''}" is not a valid host name; rule ignored`,
    );
  return host;
}
