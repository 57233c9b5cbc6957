// A gRPC client for one method of kxds's own xDS port, without generated stubs: the request is encoded
// from a plain object with the named protobuf message type, and the response is left as bytes for the
// caller to decode (the dump client and the CSDS client each decode in their own way).
import * as grpc from '@grpc/grpc-js';
import { lookupType } from '../xds/protos';

export interface RawMethod {
  /** The method's name on the client object ("StreamAggregatedResources"). */
  name: string;
  /** "/package.Service/Method". */
  path: string;
  /** Full name of the request message type. */
  requestType: string;
  streaming: boolean;
}

/** A connected client whose `method.name` takes plain request objects and yields response bytes. */
export function rawMethodClient(
  method: RawMethod,
  server: string,
  credentials: grpc.ChannelCredentials,
): grpc.Client {
  const requestType = lookupType(method.requestType);
  const Client = grpc.makeGenericClientConstructor(
    {
      [method.name]: {
        path: method.path,
        requestStream: method.streaming,
        responseStream: method.streaming,
        requestSerialize: (v: object) => Buffer.from(requestType.encode(requestType.fromObject(v)).finish()),
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    },
    method.name,
  );
  return new Client(server, credentials);
}
