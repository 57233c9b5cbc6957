// IR endpoints -> envoy.config.endpoint.v3.ClusterLoadAssignment. A locality's load_balancing_weight is the
// number of its endpoints that receive new requests (HEALTHY): gRPC clients balance by locality weight
// only and ignore DRAINING endpoints, so counting those would send a zone with one serving pod and one
// draining pod twice its share. A locality with nothing serving keeps its DRAINING endpoints (Envoy lets
// their connections finish) but carries no weight: the field must be >= 1 when set (PGV), and gRPC clients
// skip a locality without one instead of failing.
import type { ClusterLoadAssignment } from '../xds/types';
import type { IrEndpoints, IrLocality } from '../ir/clusters';

type LocalityLbEndpoints = NonNullable<ClusterLoadAssignment['endpoints']>[number];

export function buildLoadAssignment(ir: IrEndpoints): ClusterLoadAssignment {
  return {
    cluster_name: ir.clusterName,
    endpoints: ir.localities.filter((l) => l.endpoints.length > 0).map(localityEndpoints),
  };
}

function localityEndpoints(locality: IrLocality): LocalityLbEndpoints {
  // Endpoint weights (one cluster standing for weighted backends) count as that many endpoints.
  const serving = locality.endpoints
    .filter((ep) => ep.health === 'HEALTHY')
    .reduce((sum, ep) => sum + (ep.weight ?? 1), 0);
  return {
    locality: locality.zone ? { zone: locality.zone } : {},
    ...(serving > 0 ? { load_balancing_weight: { value: serving } } : {}),
    lb_endpoints: locality.endpoints.map((ep) => ({
      endpoint: { address: { socket_address: { address: ep.address, port_value: ep.port } } },
      health_status: ep.health,
      ...(ep.weight !== undefined ? { load_balancing_weight: { value: ep.weight } } : {}),
    })),
  };
}
