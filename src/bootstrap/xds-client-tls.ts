// The TLS files an xDS client presents to and trusts from kxds (`--tls-cert/--tls-key/--tls-ca`): a CA alone
// gives server-authenticated TLS, a certificate and key as well give mutual TLS.

export interface XdsClientTls {
  /** PEM CA bundle that signed kxds's xDS serving certificate. */
  caFile: string;
  /** PEM client certificate and key, for mutual TLS. */
  certFile?: string;
  keyFile?: string;
}

/** Checks the flag combination; undefined when no TLS flag is given (plaintext xDS). */
export function xdsClientTls(flags: {
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
}): XdsClientTls | undefined {
  const { tlsCert, tlsKey, tlsCa } = flags;
  if (!tlsCert && !tlsKey && !tlsCa) return undefined;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new Error('--tls-cert and --tls-key go together (a client certificate needs its key)');
  }
  if (!tlsCa) throw new Error('--tls-ca is required with TLS: the CA that signed the xDS server certificate');
  return { caFile: tlsCa, certFile: tlsCert, keyFile: tlsKey };
}
