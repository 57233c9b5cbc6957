// The support check for one decoded resource of any kind: "path: envoy-double ..." problems, empty when the
// double implements (or knowingly passes over) everything in it.
import type {
  Cluster,
  ClusterLoadAssignment,
  Listener,
  ResourceKind,
  RouteConfiguration,
  Secret,
} from '../../src/xds/types';
import { checkCluster, checkLoadAssignment, checkSecret } from './support-cluster';
import { SupportProblems } from './support-fields';
import { checkListener } from './support-listener';
import { checkRouteConfiguration } from './support-route';

export function checkSupport(kind: ResourceKind, resource: Record<string, unknown>): string[] {
  const check = new SupportProblems();
  if (kind === 'listener') checkListener(resource as Listener, check);
  else if (kind === 'route') checkRouteConfiguration(resource as RouteConfiguration, check);
  else if (kind === 'cluster') checkCluster(resource as Cluster, check);
  else if (kind === 'endpoint') checkLoadAssignment(resource as ClusterLoadAssignment, check);
  else checkSecret(resource as Secret, check);
  return check.problems;
}
