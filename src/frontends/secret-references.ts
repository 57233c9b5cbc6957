// Which Secrets the objects kxds serves name: the only Secrets kxds reads from the API server (see
// src/sources/named-secrets.ts and docs/security.md "Secrets read only as needed"). Pure: model in, sorted
// references out. It follows the front-ends' own rules of what is served, so an Ingress of another class, a
// Gateway of another controller or a certificateRef no ReferenceGrant allows never makes kxds read a Secret:
// - served Ingresses: spec.tls[].secretName, the auth-secret of basic auth and the auth-tls-secret of
//   client certificates (both own namespace only);
// - the default certificate (--default-certificate);
// - Gateways of kxds's classes and their attached ListenerSets: each terminating listener's certificateRefs
//   to core Secrets the owner may reference.
// BackendTLSPolicy CA certificates are ConfigMaps in kxds (backend-tls.ts), never Secrets; kxds's own issued
// Secrets are read by name by the issuer (src/sources/issuer-api.ts), not through the model.
import type { SecretRef, WatchedKind } from '../model/k8s';
import type { ModelView } from '../model/store';
import { AnnotationReader } from '../translate/annotations';
import { basicAuthSecretRef } from './ingress/basic-auth';
import { clientCertificateSecretRef } from './ingress/client-certificates';
import { DEFAULT_INGRESS_CLASS, servedIngresses } from './ingress/ingress-class';
import type { GatewaySpec } from './gateway/api-types';
import { GATEWAY_GROUP } from './gateway/conditions';
import { isOurClass } from './gateway/gateway-class';
import { listenerSetsOf } from './gateway/listener-sets';
import { mergedListeners, type GatewayListener } from './gateway/merged-listeners';
import { isReferenceAllowed } from './gateway/reference-grants';

export interface SecretReferenceOptions {
  /** --ingress-class (default "kxds"). */
  ingressClass?: string;
  /** --default-certificate, "NAMESPACE/NAME". */
  defaultCertificate?: string;
}

/** The kinds referencedSecrets reads: a source that feeds it needs these and nothing else. */
export const SECRET_REFERRING_KINDS: readonly WatchedKind[] = [
  'Ingress',
  'IngressClass',
  'Namespace',
  'Gateway',
  'GatewayClass',
  'ListenerSet',
  'ReferenceGrant',
];

export function referencedSecrets(model: ModelView, options: SecretReferenceOptions = {}): SecretRef[] {
  const refs = new Map<string, SecretRef>();
  const add = (namespace: string, name: string): void => {
    if (namespace !== '' && name !== '') refs.set(`${namespace}/${name}`, { namespace, name });
  };
  for (const ingress of servedIngresses(model, options.ingressClass ?? DEFAULT_INGRESS_CLASS)) {
    const namespace = ingress.metadata.namespace ?? 'default';
    for (const tls of ingress.spec.tls ?? []) if (tls.secretName) add(namespace, tls.secretName);
    // Findings of the reader are dropped: translation reports them on its own pass.
    const reader = new AnnotationReader(ingress, []);
    for (const ref of [basicAuthSecretRef(reader, ingress), clientCertificateSecretRef(reader, ingress)])
      if (ref) add(ref.namespace, ref.name);
  }
  if (options.defaultCertificate) {
    const [namespace = '', name = ''] = options.defaultCertificate.split('/', 2);
    add(namespace, name);
  }
  for (const listener of servedGatewayListeners(model)) {
    for (const ref of certificateSecrets(model, listener)) add(ref.namespace, ref.name);
  }
  return [...refs.keys()].sort().map((key) => refs.get(key) as SecretRef);
}

/** What a source needs to read exactly these Secrets: the kinds to keep and the collector over them. */
export function secretInterest(options: SecretReferenceOptions): {
  kinds: readonly WatchedKind[];
  collect(model: ModelView): SecretRef[];
} {
  return { kinds: SECRET_REFERRING_KINDS, collect: (model) => referencedSecrets(model, options) };
}

function servedGatewayListeners(model: ModelView): GatewayListener[] {
  const classes = new Set(
    model
      .list('GatewayClass')
      .filter(isOurClass)
      .map((c) => c.metadata.name),
  );
  return model
    .list('Gateway')
    .filter((gateway) => classes.has((gateway.spec as Partial<GatewaySpec>).gatewayClassName ?? ''))
    .flatMap((gateway) => mergedListeners(gateway, listenerSetsOf(model, gateway).attached));
}

function certificateSecrets(model: ModelView, listener: GatewayListener): SecretRef[] {
  const tls = listener.spec.tls;
  if (!tls || tls.mode === 'Passthrough') return [];
  const ownerNamespace = listener.owner.metadata.namespace ?? '';
  const from = { group: GATEWAY_GROUP, kind: listener.owner.kind, namespace: ownerNamespace };
  return (tls.certificateRefs ?? [])
    .filter((ref) => (ref.group ?? '') === '' && (ref.kind ?? 'Secret') === 'Secret')
    .map((ref) => ({ namespace: ref.namespace ?? ownerNamespace, name: ref.name }))
    .filter((ref) => isReferenceAllowed(model, from, { group: '', kind: 'Secret', ...ref }));
}
