// IR endpoints -> envoy.config.endpoint.v3.ClusterLoadAssignment. Every locality carries a
// load_balancing_weight (gRPC clients fail every call without it) equal to its endpoint count, so that
// locality-weighted balancing still spreads load evenly per endpoint.
import type { ClusterLoadAssignment } from '../../xds/types';
import type { IrEndpoints } from '../ir';

export function buildLoadAssignment(ir: IrEndpoints): ClusterLoadAssignment {
  return {
    cluster_name: ir.clusterName,
    endpoints: ir.localities
      .filter((l) => l.endpoints.length > 0)
      .map((locality) => ({
        locality: locality.zone ? { zone: locality.zone } : {},
        load_balancing_weight: { value: locality.endpoints.length },
        lb_endpoints: locality.endpoints.map((ep) => ({
          endpoint: { address: { socket_address: { address: ep.address, port_value: ep.port } } },
          health_status: ep.health,
        })),
      })),
  };
}
