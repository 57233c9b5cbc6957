// ListenerSets attach to a Gateway through its `spec.allowedListeners` (default: none). The merged listener
// list is the Gateway's own listeners first, then each attached ListenerSet's, oldest first, ties by
// "namespace/name": that order is the precedence conflicts are resolved by.
import type { GatewayApiObject } from '../../model/gateway-api';
import type { ModelView } from '../../model/store';
import type { GatewaySpec, ListenerSetSpec } from './api-types';
import { GATEWAY_GROUP } from './conditions';
import { namespaceAdmitted } from './label-selector';

export type ListenerSetObject = GatewayApiObject<'ListenerSet'>;
export type GatewayObject = GatewayApiObject<'Gateway'>;

/** True when the ListenerSet's parentRef names this Gateway. */
export function listenerSetTargets(set: ListenerSetObject, gateway: GatewayObject): boolean {
  const ref = (set.spec as Partial<ListenerSetSpec>).parentRef;
  if (!ref) return false;
  if ((ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') return false;
  return (
    ref.name === gateway.metadata.name &&
    (ref.namespace ?? set.metadata.namespace) === gateway.metadata.namespace
  );
}

/** Whether the Gateway's allowedListeners admits ListenerSets from the set's namespace. */
export function gatewayAllowsListenerSet(
  model: ModelView,
  gateway: GatewayObject,
  set: ListenerSetObject,
): boolean {
  return namespaceAdmitted(
    model,
    (gateway.spec as Partial<GatewaySpec>).allowedListeners?.namespaces,
    'None',
    gateway.metadata.namespace ?? '',
    set.metadata.namespace ?? '',
  );
}

/** Oldest first, then "namespace/name": ListenerSet precedence. */
export function compareByAge(a: GatewayApiObject, b: GatewayApiObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export interface ListenerSetsOfGateway {
  attached: ListenerSetObject[];
  notAllowed: ListenerSetObject[];
}

export function listenerSetsOf(model: ModelView, gateway: GatewayObject): ListenerSetsOfGateway {
  const targeting = model.list('ListenerSet').filter((set) => listenerSetTargets(set, gateway));
  const sorted = [...targeting].sort(compareByAge);
  return {
    attached: sorted.filter((set) => gatewayAllowsListenerSet(model, gateway, set)),
    notAllowed: sorted.filter((set) => !gatewayAllowsListenerSet(model, gateway, set)),
  };
}
