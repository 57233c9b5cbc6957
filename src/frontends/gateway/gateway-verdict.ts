// Whether kxds serves a Gateway of its class, and the Gateway's own conditions. Not served (Accepted False):
// its class is not accepted (Invalid), its infrastructure parametersRef is unusable (InvalidParameters), it
// asks for an address type kxds can't give (UnsupportedAddress), or none of its listeners is valid
// (ListenersNotValid). A requested IPAddress/Hostname value is not assigned by kxds (the address is the one of
// the Envoy Service the provisioner makes, or none): Programmed False with AddressNotUsable, listeners served.
// ResolvedRefs (v1.6, experimental in the spec) summarizes the Gateway's own listeners' ResolvedRefs:
// False with ListenersNotResolved naming them. kxds reads no Gateway-level reference (no
// spec.tls.backend.clientCertificateRef), so RefNotPermitted and InvalidClientCertificateRef never apply.
import type { ModelView } from '../../model/store';
import type { GatewaySpec } from './api-types';
import { condition, generationOf } from './conditions';
import type { ApiCondition } from './contract';
import type { ClassVerdict } from './gateway-class';
import type { GatewayObject } from './listener-sets';
import type { ListenerState } from './listener-state';
import { parametersProblem } from './parameters';

const ADDRESS_TYPES = new Set(['IPAddress', 'Hostname']);

export interface GatewayVerdict {
  /** Why the Gateway is not served; undefined when it is. */
  problem?: string;
  conditions: ApiCondition[];
}

function isAccepted(state: ListenerState): boolean {
  return state.conditions.some((c) => c.type === 'Accepted' && c.status === 'True');
}

export function gatewayVerdict(
  model: ModelView,
  gateway: GatewayObject,
  gatewayClass: ClassVerdict,
  own: readonly ListenerState[],
): GatewayVerdict {
  const verdict = acceptanceVerdict(model, gateway, gatewayClass, own);
  return { ...verdict, conditions: [...verdict.conditions, resolvedRefs(gateway, own)] };
}

function resolvedRefs(gateway: GatewayObject, own: readonly ListenerState[]): ApiCondition {
  const unresolved = own
    .filter((s) => s.conditions.some((c) => c.type === 'ResolvedRefs' && c.status === 'False'))
    .map((s) => s.listener.spec.name);
  return unresolved.length > 0
    ? condition(
        'ResolvedRefs',
        'False',
        'ListenersNotResolved',
        `Listeners with unresolved references: ${unresolved.join(', ')}`,
        generationOf(gateway),
      )
    : condition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved', generationOf(gateway));
}

function acceptanceVerdict(
  model: ModelView,
  gateway: GatewayObject,
  gatewayClass: ClassVerdict,
  own: readonly ListenerState[],
): GatewayVerdict {
  const generation = generationOf(gateway);
  const c = (type: string, status: ApiCondition['status'], reason: string, message: string) =>
    condition(type, status, reason, message, generation);
  const spec = gateway.spec as Partial<GatewaySpec>;
  const refused = (reason: string, message: string): GatewayVerdict => ({
    problem: message,
    conditions: [c('Accepted', 'False', reason, message), c('Programmed', 'False', 'Invalid', message)],
  });
  if (!gatewayClass.accepted) {
    return refused(
      'Invalid',
      `GatewayClass ${gatewayClass.class.metadata.name} is not accepted: ${gatewayClass.problem ?? ''}`,
    );
  }
  const parameters = parametersProblem(model, spec.infrastructure?.parametersRef, gateway.metadata.namespace);
  if (parameters) return refused('InvalidParameters', parameters);
  const addresses = spec.addresses ?? [];
  const badType = addresses.find((a) => !ADDRESS_TYPES.has(a.type ?? 'IPAddress'));
  if (badType)
    return refused(
      'UnsupportedAddress',
      `Address type ${badType.type ?? ''} is not supported (IPAddress and Hostname are)`,
    );
  const accepted = own.filter(isAccepted);
  const invalid = own.filter((s) => !isAccepted(s)).map((s) => s.listener.spec.name);
  if (accepted.length === 0)
    return refused('ListenersNotValid', `No valid listener: ${invalid.join(', ') || 'none declared'}`);
  const acceptedCondition =
    invalid.length > 0
      ? c(
          'Accepted',
          'True',
          'ListenersNotValid',
          `Listeners not valid: ${invalid.join(', ')}; the others are served`,
        )
      : c('Accepted', 'True', 'Accepted', 'Gateway accepted');
  const requested = addresses.filter((a) => a.value);
  const programmed =
    requested.length > 0
      ? c(
          'Programmed',
          'False',
          'AddressNotUsable',
          `kxds does not assign requested addresses (${requested.map((a) => a.value).join(', ')}); listeners are served on the Envoy Service's address`,
        )
      : own.some((s) => s.serving)
        ? c('Programmed', 'True', 'Programmed', 'Gateway programmed')
        : c('Programmed', 'False', 'Invalid', 'No listener can be programmed');
  return { conditions: [acceptedCondition, programmed] };
}

/** A listener of a Gateway that is not served is not programmed, whatever its own checks said. */
export function unservedListener(state: ListenerState, problem: string): ListenerState {
  return {
    ...state,
    serving: false,
    conditions: state.conditions.map((c) =>
      c.type === 'Programmed' ? { ...c, status: 'False', reason: 'Invalid', message: problem } : c,
    ),
  };
}
