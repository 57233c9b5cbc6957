// Virtual hosts for a sidecar's outbound routes: one per Service port, answering every name an app may use
// for it (NAME only within the sidecar's own namespace, NAME.NS, NAME.NS.svc, NAME.NS.svc.cluster.local),
// each with :PORT, and without a port for the Service's first port. gRPC upstreams get no route timeout, so
// long streams are not cut at Envoy's 15 s default.
// ClientIP affinity in explicit mode hashes 127.0.0.1 (every app connects over loopback): stable per
// client, but all pods of one namespace land on the same backend; transparent mode hashes the pod's address.
import type { VirtualHost } from '../../generated/envoy/config/route/v3/VirtualHost';
import { serviceHostNames } from '../names';
import type { CatalogEntry } from '../service-catalog';
import { durationMs } from '../../envoy/common';
import { hashPolicy } from '../../envoy/route-hash';

export function serviceVirtualHost(
  entry: CatalogEntry,
  ownNamespace: string,
  extraDomains: string[] = [],
): VirtualHost {
  const { ref } = entry.cluster;
  const hosts = serviceHostNames(ref.namespace, ref.service);
  if (ref.namespace === ownNamespace) hosts.push(ref.service);
  const domains = hosts.map((h) => `${h}:${ref.port}`);
  if (entry.portIndex === 0) domains.push(...hosts);
  domains.push(...extraDomains);
  const grpc = entry.cluster.protocol === 'http2' || entry.cluster.protocol === 'tls-http2';
  const hashOn = entry.cluster.hashOn ?? [];
  return {
    name: entry.cluster.name,
    domains,
    routes: [
      {
        match: { prefix: '/' },
        route: {
          cluster: entry.cluster.name,
          ...(grpc ? { timeout: durationMs(0) } : {}),
          // Session affinity (ClientIP, kxds.io/hash-on) hashes on the route; the cluster is ring-hash.
          ...(hashOn.length > 0 ? { hash_policy: hashOn.map(hashPolicy) } : {}),
        },
      },
    ],
  };
}
