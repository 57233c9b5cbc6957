// Envoy's virtual host selection by :authority (lowercased): an exact domain first, then suffix wildcards
// ("*.foo.com", "*-bar.foo.com": longest suffix wins, the wildcard never matches the empty string), then
// prefix wildcards ("foo.*": longest prefix wins), then "*". With ignore_port_in_host_matching the port
// is dropped first; the HCM's strip_*_host_port options have already rewritten the authority by then.
import type { RouteConfiguration } from '../../src/xds/types';
import type { VirtualHost } from '../../src/generated/envoy/config/route/v3/VirtualHost';

export function stripPort(authority: string): string {
  // "[::1]:8080" keeps its brackets; "foo.com:8080" loses ":8080".
  const match = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(authority);
  return match?.[1] ?? authority;
}

/** Whether a wildcard domain covers the host: "*" stands for at least one character, at the given end. */
function wildcardCovers(domain: string, host: string, at: 'start' | 'end'): boolean {
  if (domain.length < 2 || host.length < domain.length) return false;
  return at === 'start'
    ? domain.startsWith('*') && host.endsWith(domain.slice(1))
    : domain.endsWith('*') && host.startsWith(domain.slice(0, -1));
}

export function selectVirtualHost(config: RouteConfiguration, authority: string): VirtualHost | undefined {
  let host = authority.toLowerCase();
  if (config.ignore_port_in_host_matching) host = stripPort(host);
  const domains = (config.virtual_hosts ?? []).flatMap((vhost) =>
    (vhost.domains ?? []).map((d) => ({ vhost, domain: d.toLowerCase() })),
  );
  const exact = domains.find((d) => d.domain === host);
  if (exact) return exact.vhost;
  // The longest wildcard domain covering the host: suffix wildcards first, then prefix wildcards.
  for (const at of ['start', 'end'] as const) {
    const covering = domains.filter((d) => wildcardCovers(d.domain, host, at));
    const longest = covering.sort((a, b) => b.domain.length - a.domain.length)[0];
    if (longest) return longest.vhost;
  }
  return domains.find((d) => d.domain === '*')?.vhost;
}
