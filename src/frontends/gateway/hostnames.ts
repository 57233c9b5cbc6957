// Gateway API hostname rules: a listener hostname and a route hostname intersect (wildcards match any number
// of labels, "*.example.com" never matches "example.com"), and listeners sharing a port are ordered from the
// most to the least specific hostname (exact, then wildcards with more labels, then none), which is how a
// request's host picks exactly one listener ("listener isolation").

/** The part a wildcard hostname matches under: "*.example.com" -> ".example.com". */
function wildcardSuffix(host: string): string | undefined {
  return host.startsWith('*.') ? host.slice(1) : undefined;
}

/** True when every host `inner` matches is matched by `outer` (undefined `outer`: a listener without hostname). */
export function hostnameCovers(outer: string | undefined, inner: string): boolean {
  if (outer === undefined) return true;
  const suffix = wildcardSuffix(outer);
  if (suffix === undefined) return outer === inner;
  return inner === outer || (inner.endsWith(suffix) && inner.length > suffix.length);
}

/** The hostname both match, if any: the more specific of the two when one covers the other. */
function intersectOne(listener: string, route: string): string | undefined {
  if (hostnameCovers(listener, route)) return route;
  if (hostnameCovers(route, listener)) return listener;
  return undefined;
}

/**
 * The hostnames a route serves on a listener, per the HTTPRoute `hostnames` rules: the route's own when the
 * listener has none, the listener's when the route has none ("*" when neither has), else each pairwise
 * intersection. Empty: the route does not match this listener's hostname.
 */
export function intersectHostnames(listener: string | undefined, route: readonly string[]): string[] {
  if (route.length === 0) return [listener ?? '*'];
  if (listener === undefined) return [...new Set(route)];
  const out = new Set<string>();
  for (const host of route) {
    const both = intersectOne(listener, host);
    if (both !== undefined) out.add(both);
  }
  return [...out];
}

/** Higher is more specific: exact hostnames, then wildcards by their number of labels, then none. */
export function hostnameSpecificity(host: string | undefined): number {
  if (host === undefined || host === '*') return 0;
  const labels = host.split('.').length;
  return host.startsWith('*.') ? labels : 1000 + labels;
}

/** True when some host is matched by both (two listeners on a port with overlapping hostnames). */
export function hostnamesOverlap(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return hostnameCovers(a, b) || hostnameCovers(b, a);
}
