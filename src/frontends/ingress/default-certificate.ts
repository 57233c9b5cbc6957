// The edge's default certificate (serve --default-certificate NAMESPACE/NAME): a filter chain without SNI
// names, so a client that sends no SNI, or a name no Ingress lists, still completes the handshake instead of
// being refused. It serves only the hosts its own certificate names (by the Host header), with the routes
// those hosts have on their own chains: the certificate decides what is reachable, as on every chain.
import type { ModelView } from '../../model/store';
import type { IrSecret, IrTlsChain } from '../../ir/http';
import { report, type Statuses } from '../../translate/findings';
import { certificateCovers, tlsSecret } from './tls-secrets';

export const DEFAULT_CHAIN = 'default-certificate';

export function defaultChain(
  model: ModelView,
  ref: string,
  chains: readonly IrTlsChain[],
  warnings: Statuses,
): { chain: IrTlsChain; secret: IrSecret } | undefined {
  const [namespace = '', name = ''] = ref.split('/', 2);
  const result = tlsSecret(model, namespace, name);
  if (!result.ok) {
    // A missing Secret has no object to carry the condition; a broken one does.
    const secret = model.get('Secret', namespace, name);
    if (secret)
      report(
        warnings,
        secret,
        'InvalidCertificateRef',
        `${result.reason}; not served as the default certificate`,
      );
    return undefined;
  }
  // A host that asks for client certificates is reachable only through its own chain, which asks for them.
  const virtualHosts = chains
    .filter((chain) => !chain.clientCertificates)
    .flatMap((chain) => chain.virtualHosts)
    .filter((vhost) => vhost.host !== '*' && certificateCovers(result.certificate, vhost.host));
  return {
    secret: result.secret,
    chain: {
      secret: result.secret.name,
      name: DEFAULT_CHAIN,
      hosts: [],
      minVersion: 'TLSv1_2',
      virtualHosts,
    },
  };
}
