// An HTTPS listener's certificateRefs -> the certificates it serves. A reference to another namespace needs
// a ReferenceGrant from the listener's owner (Gateway or ListenerSet: grants are not inherited between
// them); a Secret that is missing or not a usable kubernetes.io/tls pair is an InvalidCertificateRef. Usable
// certificates are served even when another reference fails (ResolvedRefs still says False).
import type { ModelView } from '../../model/store';
import type { IrSecret } from '../../ir/http';
import { tlsSecret } from '../ingress/tls-secrets';
import { GATEWAY_GROUP } from './conditions';
import type { GatewayListener } from './merged-listeners';
import { isReferenceAllowed } from './reference-grants';

export interface ListenerCertificates {
  certificates: IrSecret[];
  /** The first problem, as the ResolvedRefs reason and message; undefined when every reference resolved. */
  problem?: { reason: 'RefNotPermitted' | 'InvalidCertificateRef'; message: string };
}

export function listenerCertificates(model: ModelView, listener: GatewayListener): ListenerCertificates {
  const ownerNamespace = listener.owner.metadata.namespace ?? '';
  const refs = listener.spec.tls?.certificateRefs ?? [];
  const certificates: IrSecret[] = [];
  const problems: NonNullable<ListenerCertificates['problem']>[] = [];
  if (refs.length === 0) {
    problems.push({
      reason: 'InvalidCertificateRef',
      message: 'no certificateRefs: kxds needs a certificate to terminate TLS',
    });
  }
  for (const ref of refs) {
    const group = ref.group ?? '';
    const kind = ref.kind ?? 'Secret';
    const namespace = ref.namespace ?? ownerNamespace;
    const name = `${namespace}/${ref.name}`;
    if (group !== '' || kind !== 'Secret') {
      problems.push({
        reason: 'InvalidCertificateRef',
        message: `certificateRef ${kind}${group ? `.${group}` : ''} ${name}: only core Secrets are supported`,
      });
      continue;
    }
    const from = { group: GATEWAY_GROUP, kind: listener.owner.kind, namespace: ownerNamespace };
    if (!isReferenceAllowed(model, from, { group: '', kind: 'Secret', namespace, name: ref.name })) {
      problems.push({
        reason: 'RefNotPermitted',
        message: `certificateRef Secret ${name} is in another namespace and no ReferenceGrant there allows it`,
      });
      continue;
    }
    const secret = tlsSecret(model, namespace, ref.name);
    if (!secret.ok) {
      problems.push({ reason: 'InvalidCertificateRef', message: `certificateRef: ${secret.reason}` });
      continue;
    }
    if (!certificates.some((c) => c.name === secret.secret.name)) certificates.push(secret.secret);
  }
  // RefNotPermitted wins over InvalidCertificateRef: it is the one the user must act on first.
  const problem = problems.find((p) => p.reason === 'RefNotPermitted') ?? problems[0];
  return { certificates, ...(problem ? { problem } : {}) };
}
