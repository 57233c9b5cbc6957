// IR certificate -> envoy.extensions.transport_sockets.tls.v3.Secret, served over SDS so keys travel only
// on the ADS stream to the edge and never sit in listener config dumps.
import type { Secret } from '../../xds/types';
import type { IrSecret } from '../edge/ir';

export function buildTlsSecret(ir: IrSecret): Secret {
  return {
    name: ir.name,
    tls_certificate: {
      certificate_chain: { inline_bytes: Buffer.from(ir.certificatePem) },
      private_key: { inline_bytes: Buffer.from(ir.privateKeyPem) },
    },
  };
}
