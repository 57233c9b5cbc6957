// Every listener of a Gateway (and its ListenerSets) judged once: supported kinds, certificates, conflicts,
// and its conditions (Accepted, Programmed, ResolvedRefs, Conflicted, OverlappingTLSConfig when true). A
// listener serves traffic when it is Accepted, not Conflicted and, when it terminates TLS (HTTPS, and TLS in
// mode Terminate, the API's default), has a usable certificate. TLS Passthrough needs none. Listeners past the
// Gateway's limit are refused (TooManyListeners, see listener-limit.ts).
import type { ModelView } from '../../model/store';
import type { IrSecret } from '../../ir/http';
import { condition, generationOf } from './conditions';
import type { ApiCondition, GatewayOptions } from './contract';
import { listenerConflicts, type ListenerProblem } from './listener-conflicts';
import { isServedProtocol, listenerKinds, SERVED_PROTOCOLS, type RouteGroupKind } from './listener-kinds';
import { listenerCertificates } from './listener-tls';
import { MAX_GATEWAY_LISTENERS, tooManyListeners } from './listener-limit';
import type { GatewayListener } from './merged-listeners';

export interface ListenerState {
  listener: GatewayListener;
  supportedKinds: RouteGroupKind[];
  serving: boolean;
  /** The port the Envoy listener binds (privileged ports moved up by the offset). */
  bindPort: number;
  certificates: IrSecret[];
  conditions: ApiCondition[];
  /** Problems no condition reason covers (a certificate not naming the hostname): findings for the owner. */
  warnings: string[];
}

/** Whether the listener decrypts TLS itself, and so needs certificates. */
export function terminatesTls(spec: GatewayListener['spec']): boolean {
  return spec.protocol === 'HTTPS' || (spec.protocol === 'TLS' && spec.tls?.mode !== 'Passthrough');
}

export function bindPortOf(port: number, options: Pick<GatewayOptions, 'privilegedPortOffset'>): number {
  return port < 1024 ? port + options.privilegedPortOffset : port;
}

export function listenerStates(
  model: ModelView,
  listeners: readonly GatewayListener[],
  options: GatewayOptions,
): ListenerState[] {
  const limit = options.maxListeners ?? MAX_GATEWAY_LISTENERS;
  const now = options.now ? new Date(options.now) : new Date();
  // Listeners past the limit are refused before anything else: they can't conflict with the served ones.
  const served = listeners.slice(0, limit).filter((l) => isServedProtocol(l.spec.protocol));
  const conflicts = listenerConflicts(served, (port) => bindPortOf(port, options));
  return listeners.map((listener, index) => {
    const generation = generationOf(listener.owner);
    const kinds = listenerKinds(listener.spec);
    const c = (type: string, status: ApiCondition['status'], reason: string, message: string) =>
      condition(type, status, reason, message, generation);
    const tls = terminatesTls(listener.spec)
      ? listenerCertificates(model, listener, now)
      : { certificates: [] };
    const conflict = conflicts.conflicted.get(listener.key);
    const unavailable = conflicts.portUnavailable.get(listener.key);
    const ownProblem: ListenerProblem | undefined = !isServedProtocol(listener.spec.protocol)
      ? {
          reason: 'UnsupportedProtocol',
          message: `Protocol ${listener.spec.protocol} is not served by kxds (${SERVED_PROTOCOLS.join(', ')} are)`,
        }
      : (unavailable ??
        // A conflicted listener is not accepted: reason Invalid, as the conformance suite expects.
        (conflict ? { reason: 'Invalid', message: conflict.message } : undefined));
    const notAccepted = tooManyListeners(index, listeners.length, limit) ?? ownProblem;
    const noCertificate = terminatesTls(listener.spec) && tls.certificates.length === 0;
    const serving = !notAccepted && !noCertificate;
    const refsProblem: ListenerProblem | undefined =
      kinds.invalid.length > 0
        ? {
            reason: 'InvalidRouteKinds',
            message: `Route kinds not supported on ${listener.spec.protocol}: ${kinds.invalid.join(', ')}`,
          }
        : 'problem' in tls
          ? tls.problem
          : undefined;
    const conditions = [
      notAccepted
        ? c('Accepted', 'False', notAccepted.reason, notAccepted.message)
        : c('Accepted', 'True', 'Accepted', 'Listener accepted'),
      serving
        ? c('Programmed', 'True', 'Programmed', 'Listener programmed')
        : c(
            'Programmed',
            'False',
            unavailable ? 'PortUnavailable' : 'Invalid',
            notAccepted?.message ?? refsProblem?.message ?? 'No usable certificate',
          ),
      refsProblem
        ? c('ResolvedRefs', 'False', refsProblem.reason, refsProblem.message)
        : c('ResolvedRefs', 'True', 'ResolvedRefs', resolvedMessage(tls.hostnameWarning)),
      conflict
        ? c('Conflicted', 'True', conflict.reason, conflict.message)
        : c('Conflicted', 'False', 'NoConflicts', 'No conflicts'),
    ];
    const overlap = conflicts.overlappingTls.get(listener.key);
    if (overlap) conditions.push(c('OverlappingTLSConfig', 'True', overlap.reason, overlap.message));
    return {
      listener,
      supportedKinds: kinds.supportedKinds,
      serving,
      bindPort: bindPortOf(listener.spec.port, options),
      certificates: tls.certificates,
      conditions,
      warnings: 'hostnameWarning' in tls && tls.hostnameWarning ? [tls.hostnameWarning] : [],
    };
  });
}

/** The spec has no reason for a certificate that doesn't name the hostname: it is said in the message. */
function resolvedMessage(hostnameWarning: string | undefined): string {
  return hostnameWarning ? `All references resolved; warning: ${hostnameWarning}` : 'All references resolved';
}

/** The listener's entry in Gateway (or ListenerSet) `status.listeners`. */
export function listenerStatusEntry(state: ListenerState, attachedRoutes: number): Record<string, unknown> {
  return {
    name: state.listener.spec.name,
    supportedKinds: state.supportedKinds,
    attachedRoutes,
    conditions: state.conditions,
  };
}
