// A route on each of its parents: the rules translated for every listener it attached to (by the route-rule
// translation, see contract.ts), and the `status.parents` entry kxds owns for that parentRef: Accepted (or
// why not), ResolvedRefs and PartiallyInvalid as the rules report them.
import { condition, generationOf } from './conditions';
import {
  GATEWAY_CONTROLLER_NAME,
  type ApiCondition,
  type BackendTlsPolicyStatuses,
  type CompareRankedRoutes,
  type ListenerContext,
  type RouteCondition,
  type RuleContext,
  type TranslateRouteRules,
  type TranslatedRules,
} from './contract';
import type { Attachment, ParentAttachment, RouteObject } from './attachment';
import type { ListenerState } from './listener-state';

/** One route's rules translated for one listener (HTTP rules, or an L4 route's backends). */
export type TranslateOn<R extends RouteObject> = (
  route: R,
  listener: ListenerContext,
  ctx: RuleContext,
) => TranslatedRules;

/** The route-rule translation this front-end delegates to. */
export interface RouteRules {
  translate: TranslateRouteRules;
  compare: CompareRankedRoutes;
  /** BackendTLSPolicy statuses from the Service ports the served Gateways' routes use. */
  policyStatuses?: BackendTlsPolicyStatuses;
}

export interface ServedAttachment {
  route: RouteObject;
  attachment: Attachment;
  rules: TranslatedRules;
}

/** The attachments the rules accepted, by listener. */
export type ServedOn = Map<ListenerState, ServedAttachment[]>;

export interface RouteOnParent {
  parent: ParentAttachment;
  /** Attachments the rules accepted: they count in attachedRoutes and are served. */
  served: ServedAttachment[];
  statusEntry: Record<string, unknown>;
}

export function listenerContext(
  parent: ParentAttachment,
  state: ListenerState,
  hostnames: string[],
): ListenerContext {
  const gateway = parent.gateway.gateway;
  return {
    gateway: { namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name },
    port: state.listener.spec.port,
    protocol: state.listener.spec.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
    hostnames,
  };
}

export function routeOnParent<R extends RouteObject>(
  route: R,
  parent: ParentAttachment,
  translate: TranslateOn<R>,
  ctx: RuleContext,
): RouteOnParent {
  const generation = generationOf(route);
  const translated = parent.attachments.map((attachment) => ({
    route,
    attachment,
    rules: translate(route, listenerContext(parent, attachment.state, attachment.hostnames), ctx),
  }));
  const served = translated.filter((t) => !t.rules.conditions.some(isRejection));
  const ruleConditions = translated.flatMap((t) => t.rules.conditions);
  if (parent.failure && parent.probe) {
    // Nothing attached; the rules are still translated once so broken references are reported too.
    ruleConditions.push(...translate(route, listenerContext(parent, parent.probe, ['*']), ctx).conditions);
  }
  const c = (type: string, status: ApiCondition['status'], reason: string, message: string) =>
    condition(type, status, reason, message, generation);
  const rejection =
    translated.length > 0 && served.length === 0 ? ruleConditions.find(isRejection) : undefined;
  const accepted = parent.failure
    ? c('Accepted', 'False', parent.failure.reason, parent.failure.message)
    : rejection
      ? c('Accepted', 'False', rejection.reason, rejection.message)
      : c(
          'Accepted',
          'True',
          'Accepted',
          `Accepted by ${served.map((s) => s.attachment.state.listener.key).join(', ')}`,
        );
  const unresolved = ruleConditions.find((rc) => rc.type === 'ResolvedRefs' && rc.status === 'False');
  const resolved = unresolved
    ? c('ResolvedRefs', 'False', unresolved.reason, unresolved.message)
    : c('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved');
  const partial = ruleConditions.find((rc) => rc.type === 'PartiallyInvalid');
  const conditions = [
    accepted,
    resolved,
    // PartiallyInvalid is only for an accepted route (the spec forbids it on one that is not).
    ...(partial && accepted.status === 'True'
      ? [c('PartiallyInvalid', 'True', partial.reason, partial.message)]
      : []),
  ];
  return {
    parent,
    served,
    statusEntry: { parentRef: parent.parentRef, controllerName: GATEWAY_CONTROLLER_NAME, conditions },
  };
}

function isRejection(rc: RouteCondition): boolean {
  return rc.type === 'Accepted' && rc.status === 'False';
}
