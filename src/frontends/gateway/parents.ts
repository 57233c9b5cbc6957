// What a route's parentRef can name: a Gateway of a kxds class or a ListenerSet attached to one, with the
// listeners a route attaching to it may use (a Gateway's own listeners only: ListenerSet listeners are
// reached through the ListenerSet). Parents of other controllers are not here: kxds writes nothing for them.
import type { GatewayObject, ListenerSetObject } from './listener-sets';
import type { ListenerState } from './listener-state';

export interface GatewayParent {
  gateway: GatewayObject;
  /** Why the Gateway is not served, if it isn't (its routes then attach to nothing). */
  problem?: string;
  listeners: ListenerState[];
}

export interface ListenerSetParent {
  set: ListenerSetObject;
  parent: GatewayParent;
  /** Why the ListenerSet is not accepted, if it isn't. */
  problem?: string;
  listeners: ListenerState[];
}

export interface ParentIndex {
  gateways: Map<string, GatewayParent>;
  listenerSets: Map<string, ListenerSetParent>;
}

export function parentKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
