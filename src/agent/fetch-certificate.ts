// One round of the agent: a fresh key and CSR, a Sign call to kxds's workload CA authenticated by the
// projected service-account token, the answer checked (the certificate is for our key and names a SPIFFE
// id) before anything is written. The token is read from its file each time: the kubelet rotates it.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { createWorkloadCsr } from '../certs/workload-csr';
import { workloadCertificatesService, type SignResponse, type WorkloadCertificatesClient } from '../ca/proto';

export interface FetchOptions {
  /** host:port of kxds's workload CA (--ca-address). */
  server: string;
  /** PEM CA(s) that signed kxds's serving certificate. */
  rootPem: string;
  tokenFile: string;
  /** The name to check kxds's certificate for, when the address is not one of its names. */
  serverName?: string;
  validitySeconds?: number;
  timeoutMs?: number;
}

export interface WorkloadCertificate {
  chainPem: string;
  keyPem: string;
  trustBundlePem: string;
  identity: string;
  notBefore: Date;
  notAfter: Date;
}

export async function fetchWorkloadCertificate(options: FetchOptions): Promise<WorkloadCertificate> {
  const token = fs.readFileSync(options.tokenFile, 'utf8').trim();
  if (!token) throw new Error(`${options.tokenFile} is empty: no service-account token to authenticate with`);
  const { csrPem, keyPem } = await createWorkloadCsr('kxds-agent');
  const Client = workloadCertificatesService();
  const channelOptions = options.serverName ? { 'grpc.ssl_target_name_override': options.serverName } : {};
  const client = new Client(
    options.server,
    grpc.credentials.createSsl(Buffer.from(options.rootPem)),
    channelOptions,
  ) as unknown as WorkloadCertificatesClient;
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  try {
    const reply = await new Promise<SignResponse>((resolve, reject) =>
      client.Sign(
        { csr: csrPem, validity_seconds: options.validitySeconds ?? 0 },
        metadata,
        { deadline: Date.now() + (options.timeoutMs ?? 10_000) },
        (err, response) => (err || !response ? reject(err ?? new Error('empty answer')) : resolve(response)),
      ),
    );
    return checkedCertificate(reply, keyPem);
  } finally {
    client.close();
  }
}

function checkedCertificate(reply: SignResponse, keyPem: string): WorkloadCertificate {
  const [leafPem] = reply.certificate_chain;
  if (!leafPem) throw new Error('the workload CA answered without a certificate');
  const leaf = new X509Certificate(leafPem);
  if (!leaf.checkPrivateKey(createPrivateKey(keyPem)))
    throw new Error('the workload CA signed a different key than the one sent');
  const identity = /URI:(spiffe:\/\/[^,\s]+)/.exec(leaf.subjectAltName ?? '')?.[1];
  if (!identity) throw new Error('the workload certificate names no SPIFFE id');
  return {
    chainPem: reply.certificate_chain.join(''),
    keyPem,
    trustBundlePem: reply.trust_bundle,
    identity,
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
  };
}
