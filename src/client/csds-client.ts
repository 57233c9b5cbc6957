// One CSDS call (envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus) for the client
// commands, answered in the protobuf JSON mapping: the shape Envoy's /config_dump and `protoc --json` use,
// enums as names, timestamps as RFC 3339, nested Any messages unpacked with their "@type".
import * as grpc from '@grpc/grpc-js';
import { rawMethodClient } from './raw-method-client';
import { toProtoJson, type JsonValue } from '../xds/proto-json';

const FETCH_PATH = '/envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus';

export interface ClientStatusQuery {
  /** Only the node with this id (a NodeMatcher on the id); every connected node without it. */
  nodeId?: string;
  /** Leave out each resource's contents (statuses only). */
  excludeContents?: boolean;
}

export async function fetchClientStatus(
  server: string,
  credentials: grpc.ChannelCredentials,
  query: ClientStatusQuery,
  timeoutMs: number,
): Promise<{ [key: string]: JsonValue }> {
  const method = {
    name: 'FetchClientStatus',
    path: FETCH_PATH,
    requestType: 'envoy.service.status.v3.ClientStatusRequest',
    streaming: false,
  };
  const client = rawMethodClient(method, server, credentials) as unknown as grpc.Client & {
    FetchClientStatus(
      request: object,
      options: grpc.CallOptions,
      callback: (err: grpc.ServiceError | null, value?: Buffer) => void,
    ): void;
  };
  const request = {
    ...(query.nodeId ? { node_matchers: [{ node_id: { exact: query.nodeId } }] } : {}),
    exclude_resource_contents: Boolean(query.excludeContents),
  };
  try {
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      client.FetchClientStatus(request, { deadline: Date.now() + timeoutMs }, (err, value) =>
        err || !value ? reject(err ?? new Error('empty answer')) : resolve(value),
      ),
    );
    return toProtoJson('envoy.service.status.v3.ClientStatusResponse', bytes);
  } catch (err) {
    const e = err as grpc.ServiceError;
    throw new Error(`CSDS at ${server}: ${e.details || e.message}`);
  } finally {
    client.close();
  }
}
