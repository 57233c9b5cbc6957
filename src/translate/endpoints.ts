// EndpointSlices -> localities for one Service port. Ready endpoints are HEALTHY, serving-but-terminating
// ones DRAINING (connections finish, no new requests), the rest are left out. An address listed by two
// slices appears once; localities are zones, sorted, so output never depends on arrival order.
import type { Endpoint, EndpointSlice } from '../model/k8s';
import type { IrEndpoint, IrEndpointHealth, IrLocality, IrServicePortRef } from '../ir/clusters';
import { report, type Statuses } from './findings';

function endpointHealth(endpoint: Endpoint): IrEndpointHealth | undefined {
  const c = endpoint.conditions ?? {};
  // Kubernetes: a nil "ready" means ready; "serving" defaults to "ready".
  const ready = c.ready !== false;
  const serving = c.serving ?? ready;
  if (ready && !c.terminating) return 'HEALTHY';
  if (serving && c.terminating) return 'DRAINING';
  return undefined;
}

export function localitiesForServicePort(
  slices: readonly EndpointSlice[],
  ref: IrServicePortRef,
  statuses: Statuses,
): IrLocality[] {
  const byZone = new Map<string, Map<string, IrEndpoint>>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') {
      report(statuses, slice, 'UnsupportedAddressType', 'FQDN EndpointSlices are not supported; skipped');
      continue;
    }
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === ref.portName);
    if (!port || port.port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      const health = endpointHealth(ep);
      if (!health) continue;
      const zone = ep.zone ?? '';
      let zoneEndpoints = byZone.get(zone);
      if (!zoneEndpoints) {
        zoneEndpoints = new Map();
        byZone.set(zone, zoneEndpoints);
      }
      for (const address of ep.addresses) {
        const key = `${address}:${port.port}`;
        const existing = zoneEndpoints.get(key);
        // The same address in two slices (during a slice rebalance): the healthier entry wins.
        if (existing && existing.health === 'HEALTHY') continue;
        zoneEndpoints.set(key, {
          address,
          port: port.port,
          health,
          ...(ep.targetRef?.name ? { target: ep.targetRef.name } : {}),
        });
      }
    }
  }
  return [...byZone.keys()].sort().map((zone) => ({
    zone,
    endpoints: [...(byZone.get(zone)?.values() ?? [])].sort(compareEndpoints),
  }));
}

function compareEndpoints(a: IrEndpoint, b: IrEndpoint): number {
  return a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1;
}
