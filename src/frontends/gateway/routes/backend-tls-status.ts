// BackendTLSPolicy status: for each policy, one `ancestors` entry per served Gateway whose routes use a
// Service port the policy targets, with Accepted (True; or False: Conflicted when an older policy holds the
// same target and sectionName, NoValidCACertificate when no CA can be used, Invalid for an unknown
// wellKnownCACertificates) and ResolvedRefs (False: InvalidCACertificateRef or InvalidKind, naming the ref).
import type { Service } from '../../../model/k8s';
import type { ModelView } from '../../../model/store';
import { GATEWAY_API_GROUP } from '../../../model/gateway-api';
import {
  GATEWAY_CONTROLLER_NAME,
  type ApiCondition,
  type BackendTlsPolicyStatuses,
  type GatewayApiStatus,
} from '../contract';
import { policyFor, policyTls, specOf, type PolicyObject } from './backend-tls';

/** True when `policy` targets this Service port (by the whole Service, or by the port's name). */
function targetsPort(policy: PolicyObject, service: Service, portName: string): boolean {
  if ((policy.metadata.namespace ?? 'default') !== (service.metadata.namespace ?? 'default')) return false;
  return (specOf(policy).targetRefs ?? []).some(
    (ref) =>
      (ref.group ?? '') === '' &&
      ref.kind === 'Service' &&
      ref.name === service.metadata.name &&
      (ref.sectionName === undefined || ref.sectionName === portName),
  );
}

function conditions(model: ModelView, policy: PolicyObject, conflicted: boolean): ApiCondition[] {
  const generation = policy.metadata.generation ?? 0;
  const condition = (type: string, ok: boolean, reason: string, message: string): ApiCondition => ({
    type,
    status: ok ? 'True' : 'False',
    reason,
    message,
    observedGeneration: generation,
  });
  const tls = policyTls(model, policy);
  const [problem] = tls.problems;
  const resolved = problem
    ? condition('ResolvedRefs', false, problem.reason, tls.problems.map((p) => p.message).join('; '))
    : condition('ResolvedRefs', true, 'ResolvedRefs', 'every reference is resolved');
  let accepted: ApiCondition;
  if (conflicted)
    accepted = condition(
      'Accepted',
      false,
      'Conflicted',
      'an older BackendTLSPolicy targets the same Service and sectionName',
    );
  else if (!tls.ok) accepted = condition('Accepted', false, tls.acceptedReason, tls.message);
  else accepted = condition('Accepted', true, 'Accepted', 'the policy is accepted');
  return [accepted, resolved];
}

export const backendTlsPolicyStatuses: BackendTlsPolicyStatuses = (model, uses) => {
  const out: GatewayApiStatus[] = [];
  for (const policy of model.list('BackendTLSPolicy')) {
    const ancestors: { namespace: string; name: string }[] = [];
    let conflicted = false;
    for (const use of uses) {
      let uses = false;
      for (const ref of use.backendPorts) {
        const service = model.get('Service', ref.namespace, ref.service);
        if (!service || !targetsPort(policy, service, ref.portName)) continue;
        uses = true;
        const port = (service.spec.ports ?? []).find((p) => p.port === ref.port);
        if (port && policyFor(model, service, port)?.losers.includes(policy)) conflicted = true;
      }
      if (
        uses &&
        !ancestors.some((a) => a.namespace === use.gateway.namespace && a.name === use.gateway.name)
      )
        ancestors.push(use.gateway);
    }
    if (ancestors.length === 0) continue;
    const policyConditions = conditions(model, policy, conflicted);
    out.push({
      kind: 'BackendTLSPolicy',
      namespace: policy.metadata.namespace ?? 'default',
      name: policy.metadata.name,
      generation: policy.metadata.generation ?? 0,
      status: {
        ancestors: ancestors.map((a) => ({
          ancestorRef: { group: GATEWAY_API_GROUP, kind: 'Gateway', namespace: a.namespace, name: a.name },
          controllerName: GATEWAY_CONTROLLER_NAME,
          conditions: policyConditions,
        })),
      },
    });
  }
  return out;
};
