// IR certificate -> envoy.extensions.transport_sockets.tls.v3.Secret, served over SDS so keys travel only
// on the ADS stream to the edge and never sit in listener config dumps.
import type { Secret } from '../../xds/types';
import type { IrSecret } from '../../ir/http';

export function buildTlsSecret(ir: IrSecret): Secret {
  return {
    name: ir.name,
    tls_certificate: {
      certificate_chain: { inline_bytes: Buffer.from(ir.certificatePem) },
      private_key: { inline_bytes: Buffer.from(ir.privateKeyPem) },
    },
  };
}

/** The same Secret with the private key replaced, for debug output (config dumps, the admin API, logs). */
export function redactSecret(secret: Secret): Secret {
  const tls = secret.tls_certificate;
  if (!tls?.private_key) return secret;
  return { ...secret, tls_certificate: { ...tls, private_key: { inline_string: '<redacted>' } } };
}
