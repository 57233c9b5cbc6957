// The certificate set kxds's deployment uses: a CA, the control plane's serving certificate (xDS port and
// sidecar webhook, both behind the kxds Service), and one client certificate per identity, each naming its
// SPIFFE id in a URI SAN: the edge fleet's, one shared by the sidecars of each namespace, and an operator's
// (CSDS). The xDS port decides from that id what a client may receive (src/server/authorize.ts), so no
// credential handed to an app namespace can claim the edge role and its Ingress private keys.
import {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAuthority,
  type LeafOptions,
  type PemKeyPair,
} from './authority';
import {
  DEFAULT_TRUST_DOMAIN,
  EDGE_SERVICE_ACCOUNT,
  OPERATOR_SERVICE_ACCOUNT,
  SIDECAR_SERVICE_ACCOUNT,
  spiffeUri,
} from './spiffe';

export interface IdentityCertificate extends PemKeyPair {
  /** The SPIFFE URI in the certificate. */
  identity: string;
}

export interface XdsCertificates {
  ca: PemKeyPair;
  server: PemKeyPair;
  /** The injection webhook's serving certificate: same names, its own key, so neither port's key serves the other. */
  webhook: PemKeyPair;
  edge: IdentityCertificate;
  operator: IdentityCertificate;
  /** One per namespace with injected sidecars, in the order asked. */
  sidecars: (IdentityCertificate & { namespace: string })[];
}

export interface XdsCertificateOptions {
  /** Names the proxies and the API server dial kxds by (the Service's DNS names, extra names, IPs). */
  serverHosts: readonly string[];
  trustDomain?: string;
  /** kxds's namespace: the edge and operator identities live there. */
  namespace?: string;
  sidecarNamespaces?: readonly string[];
  validDays?: number;
  caValidDays?: number;
}

/** The DNS names of a Service, as pods and the API server resolve it. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

/** A client certificate's options for one identity; the common name repeats the service account for people. */
export function identityLeaf(
  trustDomain: string,
  namespace: string,
  serviceAccount: string,
  validDays: number,
): LeafOptions {
  return {
    commonName: `${serviceAccount}.${namespace}`,
    uris: [spiffeUri(trustDomain, namespace, serviceAccount)],
    usage: 'client',
    validDays,
  };
}

/** A client certificate for one identity. */
export async function issueIdentityCertificate(
  ca: CertificateAuthority,
  trustDomain: string,
  namespace: string,
  serviceAccount: string,
  validDays: number,
): Promise<IdentityCertificate> {
  const identity = spiffeUri(trustDomain, namespace, serviceAccount);
  const pair = await issueCertificate(ca, identityLeaf(trustDomain, namespace, serviceAccount, validDays));
  return { ...pair, identity };
}

export async function generateXdsCertificates(options: XdsCertificateOptions): Promise<XdsCertificates> {
  const validDays = options.validDays ?? 365;
  const trustDomain = options.trustDomain ?? DEFAULT_TRUST_DOMAIN;
  const namespace = options.namespace ?? 'kxds';
  const ca = await createCertificateAuthority('kxds CA', options.caValidDays ?? validDays * 3);
  const serving = () =>
    issueCertificate(ca, {
      commonName: options.serverHosts[0] ?? 'kxds',
      hosts: options.serverHosts,
      usage: 'server',
      validDays,
    });
  const server = await serving();
  const webhook = await serving();
  const identity = (ns: string, sa: string) => issueIdentityCertificate(ca, trustDomain, ns, sa, validDays);
  return {
    ca: { certPem: ca.certPem, keyPem: ca.keyPem },
    server,
    webhook,
    edge: await identity(namespace, EDGE_SERVICE_ACCOUNT),
    operator: await identity(namespace, OPERATOR_SERVICE_ACCOUNT),
    sidecars: await issueSidecarCertificates(ca, trustDomain, options.sidecarNamespaces ?? [], validDays),
  };
}

/** The shared sidecar certificate of each namespace (also for namespaces added after the first certgen). */
export async function issueSidecarCertificates(
  ca: CertificateAuthority,
  trustDomain: string,
  namespaces: readonly string[],
  validDays: number,
): Promise<XdsCertificates['sidecars']> {
  const sidecars: XdsCertificates['sidecars'] = [];
  for (const namespace of new Set(namespaces)) {
    const pair = await issueIdentityCertificate(
      ca,
      trustDomain,
      namespace,
      SIDECAR_SERVICE_ACCOUNT,
      validDays,
    );
    sidecars.push({ ...pair, namespace });
  }
  return sidecars;
}
