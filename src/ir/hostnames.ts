// Host name helpers shared by front-ends and the Envoy back-end, so a front-end can check with RE2 the very
// regex the back-end will emit for a one-label wildcard virtual host.

/**
 * RE2 regex for :authority under a wildcard host: exactly one label, then the suffix, then an optional port;
 * case-insensitive, as host names are.
 */
export function wildcardAuthorityRegex(host: string): string {
  const suffix = host.slice(1).replace(/\./g, '\\.');
  return `(?i)^[^.]+${suffix}(:[0-9]+)?$`;
}
