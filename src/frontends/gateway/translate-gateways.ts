// The Gateway API front-end: the model -> one node group IR per served Gateway and every status kxds owns
// (GatewayClasses, Gateways, ListenerSets, the `parents` entries of kxds in HTTPRoute, GRPCRoute, TLSRoute,
// TCPRoute and UDPRoute). HTTP route rules are translated by the injected RouteRules (see contract.ts), L4
// routes by l4/; problems also go to `warnings`.
import type { GatewayApiObject } from '../../model/gateway-api';
import type { ModelView } from '../../model/store';
import { report, type Statuses } from '../../translate/findings';
import { attachRoute, isL4Route, type ParentAttachment, type RouteObject } from './attachment';
import { translateL4Rules } from './l4/l4-backends';
import { claimL4Listeners } from './l4/listener-claims';
import { judgeGateways, type JudgedGateway } from './build-parents';
import { generationOf, reportCondition } from './conditions';
import type {
  ApiCondition,
  GatewayApiStatus,
  GatewayBackendUse,
  GatewayOptions,
  GatewayTranslation,
  TranslateGateways,
} from './contract';
import { ourClasses } from './gateway-class';
import { gatewayGroupIr } from './gateway-ir';
import { listenerStatusEntry, type ListenerState } from './listener-state';
import { listenerLabel } from './merged-listeners';
import { routeOnParent, type RouteRules, type ServedOn } from './route-parents';

export function gatewayTranslator(rules: RouteRules): TranslateGateways {
  return (model, options, warnings) => translateWith(model, options, warnings, rules);
}

function translateWith(
  model: ModelView,
  options: GatewayOptions,
  warnings: Statuses,
  rules: RouteRules,
): GatewayTranslation {
  const classes = ourClasses(model);
  const statuses: GatewayApiStatus[] = [];
  for (const verdict of classes.values()) {
    statuses.push(verdict.status);
    reportProblems(warnings, verdict.class, verdict.status.status.conditions as ApiCondition[]);
  }
  const { gateways, parents } = judgeGateways(model, classes, options);
  const served: ServedOn = new Map();
  const routeStatuses: GatewayApiStatus[] = [];
  const ctx = { model, options, warnings };
  const httpRoutes = [...model.list('HTTPRoute'), ...model.list('GRPCRoute')].map((route) => ({
    route,
    parents: attachRoute(model, route, parents),
  }));
  const l4Routes = claimL4Listeners(
    [...model.list('TLSRoute'), ...model.list('TCPRoute'), ...model.list('UDPRoute')].map((route) => ({
      route,
      parents: attachRoute(model, route, parents),
    })),
    warnings,
  );
  const attached: { route: RouteObject; parents: ParentAttachment[] }[] = [...httpRoutes, ...l4Routes];
  for (const { route, parents: routeParents } of attached) {
    const onParents = routeParents.map((p) =>
      isL4Route(route)
        ? routeOnParent(route, p, translateL4Rules, ctx)
        : routeOnParent(route, p, rules.translate, ctx),
    );
    if (onParents.length === 0) continue;
    for (const p of onParents) {
      for (const a of p.served) {
        const list = served.get(a.attachment.state) ?? [];
        list.push(a);
        served.set(a.attachment.state, list);
      }
      reportProblems(
        warnings,
        route,
        p.statusEntry.conditions as ApiCondition[],
        `parent ${p.parent.parentRef.name}: `,
      );
    }
    const entries = onParents.map((p) => p.statusEntry);
    routeStatuses.push(objectStatus(route, { parents: entries }));
  }
  const out: GatewayTranslation = { gateways: [], statuses };
  for (const judged of gateways) {
    statuses.push(...gatewayStatuses(judged, served, warnings));
    if (judged.parent.problem !== undefined) continue;
    const gateway = judged.parent.gateway;
    out.gateways.push({
      namespace: gateway.metadata.namespace ?? '',
      name: gateway.metadata.name,
      ir: gatewayGroupIr(gateway, judged.states, served, rules, options),
    });
  }
  statuses.push(...routeStatuses);
  if (rules.policyStatuses) statuses.push(...rules.policyStatuses(model, backendUses(gateways, served)));
  return out;
}

/** The Service ports each served Gateway's accepted routes use (BackendTLSPolicy ancestors). */
function backendUses(gateways: readonly JudgedGateway[], served: ServedOn): GatewayBackendUse[] {
  return gateways
    .filter((judged) => judged.parent.problem === undefined)
    .map((judged) => ({
      gateway: {
        namespace: judged.parent.gateway.metadata.namespace ?? '',
        name: judged.parent.gateway.metadata.name,
      },
      backendPorts: judged.states.flatMap((state) =>
        (served.get(state) ?? []).flatMap((s) => s.rules.backendPorts ?? []),
      ),
    }));
}

/** The Gateway's status and its ListenerSets', with attachedRoutes counted from what the rules accepted. */
function gatewayStatuses(judged: JudgedGateway, served: ServedOn, warnings: Statuses): GatewayApiStatus[] {
  const attached = (state: ListenerState) => new Set((served.get(state) ?? []).map((s) => s.route)).size;
  const entries = (states: readonly ListenerState[]) =>
    states.map((s) => listenerStatusEntry(s, attached(s)));
  const gateway = judged.parent.gateway;
  reportProblems(warnings, gateway, judged.verdict.conditions);
  for (const s of judged.states) {
    reportProblems(warnings, s.listener.owner, s.conditions, `${listenerLabel(s.listener)}: `);
    for (const w of s.warnings)
      report(warnings, s.listener.owner, 'InvalidCertificateRef', `${listenerLabel(s.listener)}: ${w}`);
  }
  const out = [
    objectStatus(gateway, {
      conditions: judged.verdict.conditions,
      listeners: entries(judged.parent.listeners),
      attachedListenerSets: judged.listenerSets.filter((ls) => ls.verdict.problem === undefined).length,
    }),
  ];
  for (const ls of judged.listenerSets) {
    reportProblems(warnings, ls.set, ls.verdict.conditions);
    out.push(
      objectStatus(ls.set, {
        conditions: ls.verdict.conditions,
        ...(ls.listeners.length > 0 ? { listeners: entries(ls.listeners) } : {}),
      }),
    );
  }
  return out;
}

function objectStatus(object: GatewayApiObject, status: Record<string, unknown>): GatewayApiStatus {
  return {
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    generation: generationOf(object),
    status,
  };
}

/** Negative conditions (False for positive types, True for Conflicted/OverlappingTLSConfig) become findings. */
function reportProblems(
  warnings: Statuses,
  object: GatewayApiObject,
  conditions: readonly ApiCondition[],
  prefix = '',
): void {
  for (const c of conditions) {
    const negative =
      c.type === 'Conflicted' || c.type === 'OverlappingTLSConfig' || c.type === 'PartiallyInvalid';
    const bad = negative ? c.status === 'True' : c.status === 'False';
    // ListenersNotResolved only sums up the listeners' own ResolvedRefs, each reported already.
    if (c.reason === 'ListenersNotResolved') continue;
    if (bad || (c.status === 'True' && c.reason === 'ListenersNotValid')) {
      reportCondition(warnings, object, { ...c, message: `${prefix}${c.message}` });
    }
  }
}
