// A raw ADS client for tests: speaks StreamAggregatedResources over real gRPC, lets the test decide what
// to ACK or NACK, and decodes every response (nested Anys unpacked).
import * as grpc from '@grpc/grpc-js';
import { lookupType } from '../../src/xds/protos';
import { TYPE_URLS, type ResourceKind } from '../../src/xds/types';
import { decodeAnyBytes, resourceName } from './xds-decode';
import { jsonToStruct } from '../../src/xds/struct';

export interface ReceivedResponse {
  versionInfo: string;
  nonce: string;
  typeUrl: string;
  resources: Record<string, unknown>[];
  names: string[];
  at: number;
}

interface RawResponse {
  version_info?: string;
  nonce?: string;
  type_url?: string;
  resources?: { type_url: string; value: Uint8Array }[];
}

/**
 * A channel that speaks ADS, on its own connection as a proxy's would be (grpc-js otherwise shares one
 * connection among channels to an address); pass it to several AdsTestClients to put their streams on it.
 */
export function adsChannel(
  address: string,
  credentials = grpc.credentials.createInsecure(),
  options: grpc.ChannelOptions = {},
): grpc.Client {
  const req = lookupType('envoy.service.discovery.v3.DiscoveryRequest');
  const res = lookupType('envoy.service.discovery.v3.DiscoveryResponse');
  const Client = grpc.makeGenericClientConstructor(
    {
      StreamAggregatedResources: {
        path: '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources',
        requestStream: true,
        responseStream: true,
        requestSerialize: (v: Record<string, unknown>) => Buffer.from(req.encode(req.fromObject(v)).finish()),
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (v: unknown) => v as Buffer,
        responseDeserialize: (b: Buffer) =>
          res.toObject(res.decode(b), { longs: String, enums: String, bytes: Buffer }) as RawResponse,
      },
    },
    'ads',
  );
  return new Client(address, credentials, { 'grpc.use_local_subchannel_pool': 1, ...options });
}

export class AdsTestClient {
  readonly responses: ReceivedResponse[] = [];
  private readonly call: grpc.ClientDuplexStream<Record<string, unknown>, RawResponse>;
  private readonly client: grpc.Client;
  private waiters: (() => void)[] = [];
  private readonly listeners: ((response: ReceivedResponse) => void)[] = [];
  private first = true;
  error?: Error;
  /** The status the server ended the stream with, once it has. */
  status?: grpc.StatusObject;

  constructor(
    address: string,
    private readonly node: Record<string, unknown>,
    credentials = grpc.credentials.createInsecure(),
    /** A channel from adsChannel() to open this stream on (many streams, one connection); not closed here. */
    private readonly shared?: grpc.Client,
  ) {
    this.client = shared ?? adsChannel(address, credentials);
    this.call = (
      this.client as unknown as {
        StreamAggregatedResources(): grpc.ClientDuplexStream<Record<string, unknown>, RawResponse>;
      }
    ).StreamAggregatedResources();
    this.call.on('data', (raw: RawResponse) => {
      const resources = (raw.resources ?? []).map((any) => {
        const bytes = lookupType('google.protobuf.Any')
          .encode({ type_url: any.type_url, value: any.value })
          .finish();
        return decodeAnyBytes(bytes).value;
      });
      const response: ReceivedResponse = {
        versionInfo: raw.version_info ?? '',
        nonce: raw.nonce ?? '',
        typeUrl: raw.type_url ?? '',
        resources,
        names: resources.map(resourceName),
        at: Date.now(),
      };
      this.responses.push(response);
      this.listeners.forEach((listener) => listener(response));
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    });
    this.call.on('error', (err) => (this.error = err));
    this.call.on('status', (status: grpc.StatusObject) => (this.status = status));
  }

  /** Calls `listener` with every response as it arrives (a client that reacts, as a proxy does). */
  onResponse(listener: (response: ReceivedResponse) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Sends a DiscoveryRequest: an ACK of `ack` or, with `errorMessage`, a NACK of it whose version_info is
   * `acceptedVersion` (the last version this client accepted; empty by default).
   */
  request(
    kind: ResourceKind,
    names: string[] = [],
    ack?: Pick<ReceivedResponse, 'versionInfo' | 'nonce'>,
    errorMessage?: string,
    acceptedVersion = '',
  ): void {
    const message: Record<string, unknown> = {
      type_url: TYPE_URLS[kind],
      resource_names: names,
      version_info: errorMessage ? acceptedVersion : (ack?.versionInfo ?? ''),
      response_nonce: ack?.nonce ?? '',
    };
    if (errorMessage) message.error_detail = { code: 3, message: errorMessage };
    if (this.first) {
      const metadata = this.node.metadata as Record<string, unknown> | undefined;
      message.node = { ...this.node, ...(metadata ? { metadata: jsonToStruct(metadata) } : {}) };
      this.first = false;
    }
    this.call.write(message);
  }

  /** Waits for the n-th response (1-based) of a kind, or fails after timeoutMs. */
  async waitFor(kind: ResourceKind, count = 1, timeoutMs = 5000): Promise<ReceivedResponse> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.responses.filter((r) => r.typeUrl === TYPE_URLS[kind]);
      const found = matching[count - 1];
      if (found) return found;
      const left = until - Date.now();
      if (left <= 0)
        throw new Error(`no ${kind} response #${count} within ${timeoutMs} ms (got ${matching.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  count(kind: ResourceKind): number {
    return this.responses.filter((r) => r.typeUrl === TYPE_URLS[kind]).length;
  }

  close(): void {
    this.call.end();
    this.call.cancel();
    if (!this.shared) this.client.close();
  }

  /** Resolves when the server has ended the stream, with its status (refusals arrive this way). */
  ended(timeoutMs = 5000): Promise<grpc.StatusObject> {
    return new Promise((resolve, reject) => {
      if (this.status) return resolve(this.status);
      const timer = setTimeout(() => reject(new Error(`stream not ended within ${timeoutMs} ms`)), timeoutMs);
      this.call.on('status', (status: grpc.StatusObject) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
  }
}
