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

export function selectVirtualHost(config: RouteConfiguration, authority: string): VirtualHost | undefined {
  let host = authority.toLowerCase();
  if (config.ignore_port_in_host_matching) host = stripPort(host);
  const vhosts = config.virtual_hosts ?? [];
  const withDomains = vhosts.flatMap((vhost) =>
    (vhost.domains ?? []).map((d) => ({ vhost, domain: d.toLowerCase() })),
  );
  const exact = withDomains.find((d) => d.domain === host);
  if (exact) return exact.vhost;
  const longest = (candidates: typeof withDomains): VirtualHost | undefined =>
    candidates.sort((a, b) => b.domain.length - a.domain.length)[0]?.vhost;
  const suffix = longest(
    withDomains.filter(
      (d) =>
        d.domain.length > 1 &&
        d.domain.startsWith('*') &&
        host.length > d.domain.length - 1 &&
        host.endsWith(d.domain.slice(1)),
    ),
  );
  if (suffix) return suffix;
  const prefix = longest(
    withDomains.filter(
      (d) =>
        d.domain.length > 1 &&
        d.domain.endsWith('*') &&
        host.length > d.domain.length - 1 &&
        host.startsWith(d.domain.slice(0, -1)),
    ),
  );
  if (prefix) return prefix;
  return withDomains.find((d) => d.domain === '*')?.vhost;
}
