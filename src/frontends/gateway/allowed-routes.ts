// A listener's allowedRoutes: may a route of this kind, in this namespace, attach to it? Namespaces are
// Same (the listener owner's namespace: a ListenerSet's own for its listeners), All, or Selector on the
// route namespace's labels; the kind must be one of the listener's supportedKinds.
import type { ModelView } from '../../model/store';
import { GATEWAY_GROUP } from './conditions';
import { namespaceAdmitted } from './label-selector';
import type { ListenerState } from './listener-state';

export function listenerAllowsKind(state: ListenerState, kind: string): boolean {
  return state.supportedKinds.some((k) => k.group === GATEWAY_GROUP && k.kind === kind);
}

export function listenerAllowsNamespace(
  model: ModelView,
  state: ListenerState,
  routeNamespace: string,
): boolean {
  return namespaceAdmitted(
    model,
    state.listener.spec.allowedRoutes?.namespaces,
    'Same',
    state.listener.owner.metadata.namespace ?? '',
    routeNamespace,
  );
}
