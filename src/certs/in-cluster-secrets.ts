// The Secrets kxds's in-cluster issuer owns in its namespace (and the sidecars' one in each app namespace that
// has injected pods), and what each certificate names: the same
// Secrets (names, keys tls.crt/tls.key/ca.crt, identities) `kxds certgen --secrets` writes, so the shipped
// manifests mount them whichever way they were made. The CA's own Secret holds its key and the trust bundle.
import type { LeafOptions } from './authority';
import { SECRET_NAMES } from './output';
import { EDGE_SERVICE_ACCOUNT, OPERATOR_SERVICE_ACCOUNT, SIDECAR_SERVICE_ACCOUNT } from './spiffe';
import { identityLeaf, serviceDnsNames } from './xds-certificates';

/** Leaves live 90 days (renewed after 60); the CA 10 years. */
export const LEAF_VALID_DAYS = 90;
export const CA_VALID_DAYS = 3650;
export const CA_COMMON_NAME = 'kxds CA';

export interface InClusterCertificateSettings {
  /** kxds's namespace: the Secrets, and the edge and operator identities, live there. */
  namespace: string;
  /** The Service proxies and the API server dial kxds by (xDS port and webhook). */
  service: string;
  trustDomain: string;
}

export interface IssuedSecret {
  namespace: string;
  name: string;
  leaf: LeafOptions;
  /** A Deployment (same namespace) whose pods read the certificate only at start: rolled when it is renewed. */
  rollOnRenewal?: string;
}

/** The edge Envoys' Deployment (k8s/base/edge.yaml): Envoy reads its xDS client certificate once, at start. */
export const EDGE_DEPLOYMENT = 'kxds-edge';

/** The xDS server's, the webhook's (its own key), the edge fleet's and an operator's certificate. */
export function issuedSecrets(settings: InClusterCertificateSettings): IssuedSecret[] {
  const hosts = serviceDnsNames(settings.service, settings.namespace);
  const serving = (): LeafOptions => ({
    commonName: hosts[0] ?? settings.service,
    hosts,
    usage: 'server',
    validDays: LEAF_VALID_DAYS,
  });
  const identity = (serviceAccount: string): LeafOptions =>
    identityLeaf(settings.trustDomain, settings.namespace, serviceAccount, LEAF_VALID_DAYS);
  const namespace = settings.namespace;
  return [
    { namespace, name: SECRET_NAMES.server, leaf: serving() },
    { namespace, name: SECRET_NAMES.webhook, leaf: serving() },
    {
      namespace,
      name: SECRET_NAMES.edge,
      leaf: identity(EDGE_SERVICE_ACCOUNT),
      rollOnRenewal: EDGE_DEPLOYMENT,
    },
    { namespace, name: SECRET_NAMES.operator, leaf: identity(OPERATOR_SERVICE_ACCOUNT) },
  ];
}

/**
 * The sidecars' Secret in an app namespace: the client certificate all its injected sidecars share
 * (spiffe://TRUST_DOMAIN/ns/NS/sa/kxds-sidecar, as certgen issues it); a pod mounts Secrets of its own
 * namespace only.
 */
export function sidecarSecret(
  settings: InClusterCertificateSettings,
  namespace: string,
  name: string,
): IssuedSecret {
  const leaf = identityLeaf(settings.trustDomain, namespace, SIDECAR_SERVICE_ACCOUNT, LEAF_VALID_DAYS);
  return { namespace, name, leaf };
}

/** Every Secret name the issuer writes (for its RBAC resourceNames and for tests). */
export function issuerSecretNames(settings: InClusterCertificateSettings): string[] {
  return [SECRET_NAMES.ca, ...issuedSecrets(settings).map((s) => s.name)];
}
