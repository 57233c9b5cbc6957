// The kxds.ca.v1.WorkloadCertificates service (proto/kxds/ca/v1/certificates.proto), loaded once for the
// server (sign-service.ts) and the agent (agent.ts), with the message shapes both sides use.
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO = path.resolve(__dirname, '..', '..', '..', 'proto', 'kxds', 'ca', 'v1', 'certificates.proto');

export interface SignRequest {
  csr: string;
  /** int64: a string from the wire (longs: String), a number or string from a caller. */
  validity_seconds: string | number;
}

export interface SignResponse {
  certificate_chain: string[];
  trust_bundle: string;
}

export type WorkloadCertificatesClient = grpc.Client & {
  Sign(
    request: SignRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (err: grpc.ServiceError | null, reply?: SignResponse) => void,
  ): grpc.ClientUnaryCall;
};

/** The client constructor; its `.service` is the definition the server implements. */
export function workloadCertificatesService(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(PROTO, { keepCase: true, defaults: true, longs: String });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    kxds: { ca: { v1: { WorkloadCertificates: grpc.ServiceClientConstructor } } };
  };
  return pkg.kxds.ca.v1.WorkloadCertificates;
}
