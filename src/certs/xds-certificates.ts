// The certificate set kxds's deployment uses: a CA, the control plane's serving certificate (xDS port and
// sidecar webhook, both behind the kxds Service) and the client certificate every Envoy presents to kxds.
import { createCertificateAuthority, issueCertificate, type PemKeyPair } from './authority';

export interface XdsCertificates {
  ca: PemKeyPair;
  server: PemKeyPair;
  client: PemKeyPair;
}

export interface XdsCertificateOptions {
  /** Names the proxies and the API server dial kxds by (the Service's DNS names, extra names, IPs). */
  serverHosts: readonly string[];
  clientName?: string;
  validDays?: number;
  caValidDays?: number;
}

export const DEFAULT_CLIENT_NAME = 'kxds-envoy';

/** The DNS names of a Service, as pods and the API server resolve it. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

export async function generateXdsCertificates(options: XdsCertificateOptions): Promise<XdsCertificates> {
  const validDays = options.validDays ?? 365;
  const ca = await createCertificateAuthority('kxds CA', options.caValidDays ?? validDays * 3);
  const server = await issueCertificate(ca, {
    commonName: options.serverHosts[0] ?? 'kxds',
    hosts: options.serverHosts,
    usage: 'server',
    validDays,
  });
  const client = await issueCertificate(ca, {
    commonName: options.clientName ?? DEFAULT_CLIENT_NAME,
    usage: 'client',
    validDays,
  });
  return { ca: { certPem: ca.certPem, keyPem: ca.keyPem }, server, client };
}
