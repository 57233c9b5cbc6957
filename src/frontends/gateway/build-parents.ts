// Every Gateway of a kxds class, judged with its ListenerSets: listener states (conflicts resolved across
// the Gateway and its attached sets), the Gateway's and each ListenerSet's verdict, and the parent index
// routes attach through. Gateways of other classes (or of no existing class) are left alone.
import type { ModelView } from '../../model/store';
import type { GatewaySpec } from './api-types';
import type { GatewayOptions } from './contract';
import type { ClassVerdict } from './gateway-class';
import { gatewayVerdict, unservedListener, type GatewayVerdict } from './gateway-verdict';
import { listenerSetsOf, type GatewayObject, type ListenerSetObject } from './listener-sets';
import { listenerSetVerdict, type ListenerSetVerdict } from './listener-set-verdict';
import { listenerStates, type ListenerState } from './listener-state';
import { mergedListeners } from './merged-listeners';
import { parentKey, type GatewayParent, type ParentIndex } from './parents';

export interface JudgedListenerSet {
  set: ListenerSetObject;
  verdict: ListenerSetVerdict;
  listeners: ListenerState[];
}

export interface JudgedGateway {
  parent: GatewayParent;
  verdict: GatewayVerdict;
  /** The Gateway's and its attached ListenerSets' listeners, in precedence order. */
  states: ListenerState[];
  listenerSets: JudgedListenerSet[];
}

export function judgeGateways(
  model: ModelView,
  classes: ReadonlyMap<string, ClassVerdict>,
  options: GatewayOptions,
): { gateways: JudgedGateway[]; parents: ParentIndex } {
  const parents: ParentIndex = { gateways: new Map(), listenerSets: new Map() };
  const gateways: JudgedGateway[] = [];
  for (const gateway of model.list('Gateway')) {
    const gatewayClass = classes.get((gateway.spec as Partial<GatewaySpec>).gatewayClassName ?? '');
    if (!gatewayClass) continue;
    const judged = judgeGateway(model, gateway, gatewayClass, options);
    gateways.push(judged);
    parents.gateways.set(parentKey(gateway.metadata.namespace ?? '', gateway.metadata.name), judged.parent);
    for (const ls of judged.listenerSets) {
      const key = parentKey(ls.set.metadata.namespace ?? '', ls.set.metadata.name);
      parents.listenerSets.set(key, {
        set: ls.set,
        parent: judged.parent,
        ...(ls.verdict.problem !== undefined ? { problem: ls.verdict.problem } : {}),
        listeners: ls.listeners,
      });
    }
  }
  return { gateways, parents };
}

function judgeGateway(
  model: ModelView,
  gateway: GatewayObject,
  gatewayClass: ClassVerdict,
  options: GatewayOptions,
): JudgedGateway {
  const sets = listenerSetsOf(model, gateway);
  let states = listenerStates(model, mergedListeners(gateway, sets.attached), options);
  const own = states.filter((s) => s.listener.owner === gateway);
  const verdict = gatewayVerdict(model, gateway, gatewayClass, own);
  if (verdict.problem !== undefined)
    states = states.map((s) => unservedListener(s, verdict.problem as string));
  const attached = sets.attached.map((set) => {
    const listeners = states.filter((s) => s.listener.owner === set);
    return { set, verdict: listenerSetVerdict(set, listeners, verdict.problem), listeners };
  });
  // A ListenerSet that is not accepted serves nothing, whatever its listeners' own checks said.
  states = states.map((s) => {
    const refused = attached.find((a) => a.set === s.listener.owner && a.verdict.problem !== undefined);
    return refused ? unservedListener(s, refused.verdict.problem as string) : s;
  });
  const listenerSets = [
    ...attached.map((a) => ({ ...a, listeners: states.filter((s) => s.listener.owner === a.set) })),
    ...sets.notAllowed.map((set) => ({
      set,
      verdict: listenerSetVerdict(set, 'not-allowed', undefined),
      listeners: [],
    })),
  ];
  const problem = verdict.problem;
  return {
    parent: {
      gateway,
      ...(problem !== undefined ? { problem } : {}),
      listeners: states.filter((s) => s.listener.owner === gateway),
    },
    verdict,
    states,
    listenerSets,
  };
}
