// Every listener of a Gateway (and its ListenerSets) judged once: supported kinds, certificates, conflicts,
// and its conditions (Accepted, Programmed, ResolvedRefs, Conflicted, OverlappingTLSConfig when true). A
// listener serves traffic when it is Accepted, not Conflicted and, when it terminates TLS (HTTPS, and TLS in
// mode Terminate, the API's default), has a usable certificate. TLS Passthrough needs none.
import type { ModelView } from '../../model/store';
import type { IrSecret } from '../../ir/http';
import { condition, generationOf } from './conditions';
import type { ApiCondition, GatewayOptions } from './contract';
import { listenerConflicts, type ListenerProblem } from './listener-conflicts';
import { isServedProtocol, listenerKinds, SERVED_PROTOCOLS, type RouteGroupKind } from './listener-kinds';
import { listenerCertificates } from './listener-tls';
import type { GatewayListener } from './merged-listeners';

export interface ListenerState {
  listener: GatewayListener;
  supportedKinds: RouteGroupKind[];
  serving: boolean;
  /** The port the Envoy listener binds (privileged ports moved up by the offset). */
  bindPort: number;
  certificates: IrSecret[];
  conditions: ApiCondition[];
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
  const served = listeners.filter((l) => isServedProtocol(l.spec.protocol));
  const conflicts = listenerConflicts(served, (port) => bindPortOf(port, options));
  return listeners.map((listener) => {
    const generation = generationOf(listener.owner);
    const kinds = listenerKinds(listener.spec);
    const c = (type: string, status: ApiCondition['status'], reason: string, message: string) =>
      condition(type, status, reason, message, generation);
    const tls = terminatesTls(listener.spec) ? listenerCertificates(model, listener) : { certificates: [] };
    const conflict = conflicts.conflicted.get(listener.key);
    const unavailable = conflicts.portUnavailable.get(listener.key);
    const notAccepted: ListenerProblem | undefined = !isServedProtocol(listener.spec.protocol)
      ? {
          reason: 'UnsupportedProtocol',
          message: `Protocol ${listener.spec.protocol} is not served by kxds (${SERVED_PROTOCOLS.join(', ')} are)`,
        }
      : (unavailable ??
        // A conflicted listener is not accepted: reason Invalid, as the conformance suite expects.
        (conflict ? { reason: 'Invalid', message: conflict.message } : undefined));
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
        : c('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved'),
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
    };
  });
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
