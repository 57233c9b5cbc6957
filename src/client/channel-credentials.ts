// gRPC channel credentials for the client commands (`kxds dump`, `proxy-status`, `proxy-config`) from their
// --tls-ca / --tls-cert / --tls-key flags: plaintext without them, TLS with --tls-ca, mutual TLS with all
// three. The error names the command and a file that cannot be read.
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { xdsClientTls } from '../bootstrap/xds-client-tls';

export interface TlsClientFlags {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

export function channelCredentials(command: string, flags: TlsClientFlags): grpc.ChannelCredentials {
  const tls = xdsClientTls(flags);
  if (!tls) return grpc.credentials.createInsecure();
  const read = (file: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new Error(`kxds ${command}: cannot read ${file}: ${(err as Error).message}`);
    }
  };
  return tls.certFile && tls.keyFile
    ? grpc.credentials.createSsl(read(tls.caFile), read(tls.keyFile), read(tls.certFile))
    : grpc.credentials.createSsl(read(tls.caFile));
}
