// A route's parentRefs -> the listeners it attaches to, per parentRef, in the spec's order of checks:
// sectionName and port select listeners (none: NoMatchingParent), allowedRoutes admit the route's kind and
// namespace (none: NotAllowedByListeners), and the route's hostnames must intersect the listener's (none:
// NoMatchingListenerHostname). ParentRefs to objects kxds does not serve are skipped: not ours to report.
import type { GatewayApiObject } from '../../model/gateway-api';
import type { ModelView } from '../../model/store';
import type { HTTPRouteSpec, ParentReference } from './api-types';
import { listenerAllowsKind, listenerAllowsNamespace } from './allowed-routes';
import { GATEWAY_GROUP } from './conditions';
import { intersectHostnames } from './hostnames';
import type { ListenerState } from './listener-state';
import { parentKey, type GatewayParent, type ParentIndex } from './parents';

export type HttpRouteObject = GatewayApiObject<'HTTPRoute'> | GatewayApiObject<'GRPCRoute'>;
/** The routes of L4 listeners (see l4/): connections, not requests. */
export type L4RouteObject =
  GatewayApiObject<'TLSRoute'> | GatewayApiObject<'TCPRoute'> | GatewayApiObject<'UDPRoute'>;
export type RouteObject = HttpRouteObject | L4RouteObject;

export function isL4Route(route: RouteObject): route is L4RouteObject {
  return route.kind === 'TLSRoute' || route.kind === 'TCPRoute' || route.kind === 'UDPRoute';
}

export interface Attachment {
  state: ListenerState;
  /** The hostnames the route serves on this listener, after intersection ("*" when unrestricted). */
  hostnames: string[];
}

export interface ParentAttachment {
  /** The parentRef exactly as the route gives it (echoed in status). */
  parentRef: ParentReference;
  /** The Gateway whose node group serves the attachments. */
  gateway: GatewayParent;
  attachments: Attachment[];
  failure?: {
    reason: 'NoMatchingParent' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname';
    message: string;
  };
  /** A listener to translate the rules against when nothing attached, so ResolvedRefs is still reported. */
  probe?: ListenerState;
}

/** The route's hostnames (TCPRoute and UDPRoute have none: they match every connection of the listener). */
export function routeHostnames(route: RouteObject): string[] {
  return ((route.spec as Partial<HTTPRouteSpec>).hostnames ?? []).map(String);
}

export function attachRoute(model: ModelView, route: RouteObject, parents: ParentIndex): ParentAttachment[] {
  const refs = (route.spec as Partial<HTTPRouteSpec>).parentRefs ?? [];
  const routeNamespace = route.metadata.namespace ?? '';
  const out: ParentAttachment[] = [];
  for (const parentRef of refs) {
    const group = parentRef.group ?? GATEWAY_GROUP;
    const kind = parentRef.kind ?? 'Gateway';
    if (group !== GATEWAY_GROUP) continue;
    const key = parentKey(parentRef.namespace ?? routeNamespace, parentRef.name);
    const target =
      kind === 'Gateway'
        ? parents.gateways.get(key)
        : kind === 'ListenerSet'
          ? parents.listenerSets.get(key)
          : undefined;
    if (!target) continue;
    const gateway = 'set' in target ? target.parent : target;
    const problem = 'set' in target ? (target.problem ?? target.parent.problem) : target.problem;
    const base = { parentRef, gateway };
    if (problem !== undefined) {
      out.push({ ...base, attachments: [], failure: { reason: 'NoMatchingParent', message: problem } });
      continue;
    }
    out.push({ ...base, ...attachToListeners(model, route, routeNamespace, parentRef, target.listeners) });
  }
  return out;
}

function attachToListeners(
  model: ModelView,
  route: RouteObject,
  routeNamespace: string,
  ref: ParentReference,
  listeners: readonly ListenerState[],
): Pick<ParentAttachment, 'attachments' | 'failure' | 'probe'> {
  const selected = listeners.filter(
    (s) =>
      (ref.sectionName === undefined || s.listener.spec.name === ref.sectionName) &&
      (ref.port === undefined || s.listener.spec.port === ref.port),
  );
  const probe = selected[0] ?? listeners[0];
  const withProbe = probe ? { probe } : {};
  if (selected.length === 0) {
    const wanted = [ref.sectionName && `sectionName ${ref.sectionName}`, ref.port && `port ${ref.port}`]
      .filter(Boolean)
      .join(' and ');
    return {
      attachments: [],
      failure: { reason: 'NoMatchingParent', message: `No listener matches ${wanted || 'the parentRef'}` },
      ...withProbe,
    };
  }
  const allowed = selected.filter(
    (s) => listenerAllowsKind(s, route.kind) && listenerAllowsNamespace(model, s, routeNamespace),
  );
  if (allowed.length === 0) {
    return {
      attachments: [],
      failure: {
        reason: 'NotAllowedByListeners',
        message: `No selected listener allows ${route.kind} from namespace ${routeNamespace}`,
      },
      ...withProbe,
    };
  }
  const hostnames = routeHostnames(route);
  const attachments = allowed
    .map((state) => ({ state, hostnames: intersectHostnames(state.listener.spec.hostname, hostnames) }))
    .filter((a) => a.hostnames.length > 0);
  if (attachments.length === 0) {
    return {
      attachments: [],
      failure: {
        reason: 'NoMatchingListenerHostname',
        message: `No allowed listener hostname intersects ${hostnames.join(', ')}`,
      },
      ...withProbe,
    };
  }
  return { attachments };
}
