// grpc.health.v1.Health/Check over real gRPC, for tests that ask a port whether it is serving.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_INCLUDE_DIRS } from '../../src/xds/protos';

/** The status the server reports for `service` ('' = the whole server); rejects with the call's error. */
export async function healthStatus(
  address: string,
  service = '',
  credentials = grpc.credentials.createInsecure(),
): Promise<string | undefined> {
  const definition = protoLoader.loadSync('health/v1/health.proto', {
    includeDirs: [...PROTO_INCLUDE_DIRS],
    enums: String,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };
  const health = new pkg.grpc.health.v1.Health(address, credentials) as unknown as grpc.Client & {
    Check(
      req: { service: string },
      cb: (err: grpc.ServiceError | null, res?: { status: string }) => void,
    ): void;
  };
  try {
    return await new Promise<string | undefined>((resolve, reject) =>
      health.Check({ service }, (err, res) => (err ? reject(err) : resolve(res?.status))),
    );
  } finally {
    health.close();
  }
}
