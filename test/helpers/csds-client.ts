// A CSDS client for tests (envoy.service.status.v3.ClientStatusDiscoveryService), over real gRPC with any
// channel credentials; responses decoded with nested Any messages unpacked.
import * as grpc from '@grpc/grpc-js';
import { lookupType } from '../../src/xds/protos';
import { TO_OBJECT_OPTIONS } from '../../src/xds/encode';

const CSDS = '/envoy.service.status.v3.ClientStatusDiscoveryService';

export interface GenericXdsConfig {
  type_url: string;
  name: string;
  version_info?: string;
  xds_config?: Record<string, unknown>;
  last_updated?: string;
  config_status?: string;
  client_status?: string;
  error_state?: { details?: string; last_update_attempt?: string; version_info?: string };
}

export interface ClientConfig {
  node: { id: string; metadata?: Record<string, unknown> };
  generic_xds_configs?: GenericXdsConfig[];
}

export interface CsdsTestClient {
  client: grpc.Client & {
    StreamClientStatus(): grpc.ClientDuplexStream<object, { config?: ClientConfig[] }>;
  };
  fetch(request: object): Promise<ClientConfig[]>;
  /** The raw ClientStatusResponse bytes, for tests that search the wire form. */
  fetchBytes(request: object): Promise<Buffer>;
}

function methods(decode: (b: Buffer) => unknown) {
  const req = lookupType('envoy.service.status.v3.ClientStatusRequest');
  const method = (name: string, stream: boolean) => ({
    path: `${CSDS}/${name}`,
    requestStream: stream,
    responseStream: stream,
    requestSerialize: (v: object) => Buffer.from(req.encode(req.fromObject(v)).finish()),
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (v: unknown) => v as Buffer,
    responseDeserialize: decode,
  });
  return {
    FetchClientStatus: method('FetchClientStatus', false),
    StreamClientStatus: method('StreamClientStatus', true),
  };
}

type Fetcher<T> = grpc.Client & {
  FetchClientStatus(request: object, callback: (err: grpc.ServiceError | null, value?: T) => void): void;
};

function call<T>(client: Fetcher<T>, request: object): Promise<T> {
  return new Promise((resolve, reject) =>
    client.FetchClientStatus(request, (err, value) =>
      err || value === undefined ? reject(err) : resolve(value),
    ),
  );
}

export function csdsClient(address: string, credentials = grpc.credentials.createInsecure()): CsdsTestClient {
  const res = lookupType('envoy.service.status.v3.ClientStatusResponse');
  const Decoded = grpc.makeGenericClientConstructor(
    methods((b) => res.toObject(res.decode(b), { ...TO_OBJECT_OPTIONS })),
    'csds',
  );
  const Raw = grpc.makeGenericClientConstructor(
    methods((b) => b),
    'csds-raw',
  );
  const client = new Decoded(address, credentials) as unknown as CsdsTestClient['client'] &
    Fetcher<{ config?: ClientConfig[] }>;
  // Shares the channel of the first client: same connection, same identity.
  const raw = new Raw(address, credentials, {
    channelOverride: client.getChannel(),
  }) as unknown as Fetcher<Buffer>;
  return {
    client,
    fetch: async (request) => (await call(client, request)).config ?? [],
    fetchBytes: (request) => call(raw, request),
  };
}
