// One Gateway's listeners as kxds serves them: its own, then those of each attached ListenerSet, in
// precedence order (see listener-sets.ts). Each carries the object that declared it (status goes there,
// ReferenceGrants are checked from there) and a key unique in the Gateway.
import type { Listener } from './api-types';
import type { GatewayObject, ListenerSetObject } from './listener-sets';

export interface GatewayListener {
  owner: GatewayObject | ListenerSetObject;
  spec: Listener;
  /** The Gateway's own listener name, or "NAMESPACE/LISTENERSET/NAME" for a ListenerSet's. */
  key: string;
}

export function mergedListeners(
  gateway: GatewayObject,
  sets: readonly ListenerSetObject[],
): GatewayListener[] {
  const own = listenersOf(gateway).map((spec) => ({ owner: gateway, spec, key: spec.name }));
  const fromSets = sets.flatMap((set) =>
    listenersOf(set).map((spec) => ({
      owner: set,
      spec,
      key: `${set.metadata.namespace ?? ''}/${set.metadata.name}/${spec.name}`,
    })),
  );
  return [...own, ...fromSets];
}

function listenersOf(owner: GatewayObject | ListenerSetObject): Listener[] {
  const listeners = (owner.spec as { listeners?: Listener[] }).listeners;
  return Array.isArray(listeners) ? listeners : [];
}

/** A human name for messages: "listener http" or "listener http of ListenerSet ns/name". */
export function listenerLabel(listener: GatewayListener): string {
  const owner = listener.owner;
  return owner.kind === 'Gateway'
    ? `listener ${listener.spec.name}`
    : `listener ${listener.spec.name} of ListenerSet ${owner.metadata.namespace ?? ''}/${owner.metadata.name}`;
}
