// An HTTPS listener's certificateRefs -> the certificates it serves. A reference to another namespace needs
// a ReferenceGrant from the listener's owner (Gateway or ListenerSet: grants are not inherited between
// them); a Secret that is missing or not a usable kubernetes.io/tls pair is an InvalidCertificateRef. Usable
// certificates are served even when another reference fails (ResolvedRefs still says False).
// Each usable certificate is also judged as the Ingress edge judges it (ingress/tls-secrets.ts): one that has
// expired or is not valid yet is served anyway (nothing better exists) but is an InvalidCertificateRef; a
// listener hostname that no certificate names is only a warning: the spec has no reason for it and the
// reference itself resolved.
import type { ModelView } from '../../model/store';
import type { IrSecret } from '../../ir/http';
import { certificateCovers, tlsSecret, validityProblem } from '../ingress/tls-secrets';
import { GATEWAY_GROUP } from './conditions';
import type { GatewayListener } from './merged-listeners';
import { isReferenceAllowed } from './reference-grants';

export interface ListenerCertificates {
  certificates: IrSecret[];
  /** The first problem, as the ResolvedRefs reason and message; undefined when every reference resolved. */
  problem?: { reason: 'RefNotPermitted' | 'InvalidCertificateRef'; message: string };
  /** The listener hostname no usable certificate names (clients will refuse the handshake). */
  hostnameWarning?: string;
}

export function listenerCertificates(
  model: ModelView,
  listener: GatewayListener,
  now: Date,
): ListenerCertificates {
  const ownerNamespace = listener.owner.metadata.namespace ?? '';
  const refs = listener.spec.tls?.certificateRefs ?? [];
  const certificates: IrSecret[] = [];
  const names: string[] = [];
  let covered = false;
  const hostname = listener.spec.hostname;
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
    const validity = validityProblem(secret.certificate, now);
    if (validity) {
      problems.push({
        reason: 'InvalidCertificateRef',
        message: `certificateRef Secret ${name}: ${validity}; served anyway, clients will refuse it`,
      });
    }
    names.push(`${name} (${secret.certificate.subjectAltName ?? 'no subjectAltName'})`);
    if (hostname && certificateCovers(secret.certificate, hostname)) covered = true;
  }
  const hostnameWarning =
    hostname && names.length > 0 && !covered
      ? `no certificate names the listener hostname ${hostname} (${names.join(', ')}); clients will refuse the handshake`
      : undefined;
  // RefNotPermitted wins over InvalidCertificateRef: it is the one the user must act on first.
  const problem = problems.find((p) => p.reason === 'RefNotPermitted') ?? problems[0];
  return { certificates, ...(problem ? { problem } : {}), ...(hostnameWarning ? { hostnameWarning } : {}) };
}
