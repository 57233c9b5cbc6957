// A ListenerSet's own conditions: NotAllowed when its Gateway's allowedListeners does not admit it,
// ParentNotAccepted when the Gateway is not served, else Accepted from its listeners (ListenersNotValid when
// some, or all, are not) and Programmed when at least one of them serves traffic.
import { condition, generationOf } from './conditions';
import type { ApiCondition } from './contract';
import type { ListenerSetObject } from './listener-sets';
import type { ListenerState } from './listener-state';

export interface ListenerSetVerdict {
  /** Why the set's listeners are not served, if they aren't. */
  problem?: string;
  conditions: ApiCondition[];
}

export function listenerSetVerdict(
  set: ListenerSetObject,
  listeners: readonly ListenerState[] | 'not-allowed',
  parentProblem: string | undefined,
): ListenerSetVerdict {
  const generation = generationOf(set);
  const c = (type: string, status: ApiCondition['status'], reason: string, message: string) =>
    condition(type, status, reason, message, generation);
  const refused = (reason: string, message: string): ListenerSetVerdict => ({
    problem: message,
    conditions: [c('Accepted', 'False', reason, message), c('Programmed', 'False', reason, message)],
  });
  if (listeners === 'not-allowed')
    return refused('NotAllowed', "The parent Gateway's allowedListeners does not admit this ListenerSet");
  if (parentProblem !== undefined)
    return refused('ParentNotAccepted', `The parent Gateway is not accepted: ${parentProblem}`);
  const invalid = listeners.filter(
    (s) => !s.conditions.some((x) => x.type === 'Accepted' && x.status === 'True'),
  );
  const names = invalid.map((s) => s.listener.spec.name).join(', ');
  if (invalid.length === listeners.length) {
    return {
      problem: `No valid listener: ${names}`,
      conditions: [
        c('Accepted', 'False', 'ListenersNotValid', `No valid listener: ${names}`),
        c('Programmed', 'False', 'ListenersNotValid', `No valid listener: ${names}`),
      ],
    };
  }
  const accepted =
    invalid.length > 0
      ? c('Accepted', 'True', 'ListenersNotValid', `Listeners not valid: ${names}; the others are served`)
      : c('Accepted', 'True', 'Accepted', 'ListenerSet accepted');
  const programmed = listeners.some((s) => s.serving)
    ? c('Programmed', 'True', 'Programmed', 'ListenerSet programmed')
    : c('Programmed', 'False', 'Invalid', 'No listener can be programmed');
  return { conditions: [accepted, programmed] };
}
