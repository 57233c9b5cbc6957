// How many endpoints of a served cluster are down but absent from what is served: the EDS resources carry
// only endpoints that take traffic (ready, or serving while terminating), so an endpoint whose pod is not
// ready would vanish from the status page instead of showing as down. This counts them from the model.
import type { ModelView } from '../model/store';
import { endpointHealth } from '../translate/endpoints';

/** A function of the cluster name; 0 for clusters that are not a Service port ("NAMESPACE/NAME/PORT"). */
export function notReadyEndpointCounter(model: ModelView): (cluster: string) => number {
  return (cluster) => {
    const [namespace, name, portText, ...rest] = cluster.split('/');
    const port = Number(portText);
    if (!namespace || !name || rest.length > 0 || !Number.isInteger(port)) return 0;
    const servicePort = model.get('Service', namespace, name)?.spec.ports?.find((p) => p.port === port);
    if (!servicePort) return 0;
    const portName = servicePort.name ?? '';
    const served = new Set<string>();
    const down = new Set<string>();
    for (const slice of model.endpointSlicesFor(namespace, name)) {
      if (!(slice.ports ?? []).some((p) => (p.name ?? '') === portName)) continue;
      for (const endpoint of slice.endpoints ?? []) {
        const into = endpointHealth(endpoint) === undefined ? down : served;
        for (const address of endpoint.addresses) into.add(address);
      }
    }
    // An address ready in one slice and not in another (slices being rebalanced) is served, not down.
    return [...down].filter((a) => !served.has(a)).length;
  };
}
