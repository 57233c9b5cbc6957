// envoy.service.status.v3.ClientStatusDiscoveryService on the main xDS port (Fetch and Stream), answered
// from csds.ts for operators only: an identity of --xds-operator-identity, or a loopback plaintext peer
// (src/server/authorize.ts). Anyone else gets PERMISSION_DENIED and one log line per call.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log';
import { lookupType } from '../xds/protos';
import { authorizeOperator, type AccessPolicy } from './authorize';
import type { ConnectedClient } from './client-status';
import { CSDS_SERVICE, cachingRedactor, clientStatusResponse, type ClientStatusRequest } from './csds';
import { peerIdentity } from './identity';
import { permissionDenied } from './stream-access';

function decodeRequest(bytes: Buffer): ClientStatusRequest {
  const type = lookupType('envoy.service.status.v3.ClientStatusRequest');
  return type.toObject(type.decode(bytes), {
    longs: String,
    enums: String,
    defaults: false,
  }) as ClientStatusRequest;
}

/**
 * The service for XdsServer's extraServices; clients() is read on every request. Only an operator identity
 * (see authorize.ts) gets an answer; anyone else gets PERMISSION_DENIED and one log line per call.
 */
export function csdsService(
  clients: () => readonly ConnectedClient[],
  access: AccessPolicy,
  logger: Logger,
): {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
} {
  const redact = cachingRedactor();
  const refusal = (call: Parameters<typeof peerIdentity>[0]): grpc.ServiceError | undefined => {
    const identity = peerIdentity(call);
    const decision = authorizeOperator(access, identity);
    if (decision.allowed) return undefined;
    logger.warn({ peer: identity.peer, reason: decision.reason }, 'CSDS request refused');
    return permissionDenied(decision.reason);
  };
  const method = (name: string, requestStream: boolean, responseStream: boolean) => ({
    path: `/${CSDS_SERVICE}/${name}`,
    requestStream,
    responseStream,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: decodeRequest,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  });
  return {
    definition: {
      FetchClientStatus: method('FetchClientStatus', false, false),
      StreamClientStatus: method('StreamClientStatus', true, true),
    },
    implementation: {
      FetchClientStatus: (
        call: grpc.ServerUnaryCall<ClientStatusRequest, Buffer>,
        callback: grpc.sendUnaryData<Buffer>,
      ) => {
        const refused = refusal(call);
        if (refused) return callback(refused);
        try {
          callback(null, clientStatusResponse(clients(), call.request, redact));
        } catch (err) {
          callback({ code: 13, details: `CSDS failed: ${(err as Error).message}` });
        }
      },
      StreamClientStatus: (call: grpc.ServerDuplexStream<ClientStatusRequest, Buffer>) => {
        const refused = refusal(call);
        if (refused) {
          call.on('error', () => undefined);
          call.emit('error', refused);
          return;
        }
        call.on('data', (request: ClientStatusRequest) => {
          try {
            call.write(clientStatusResponse(clients(), request, redact));
          } catch (err) {
            call.destroy(err as Error);
          }
        });
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      },
    },
  };
}
