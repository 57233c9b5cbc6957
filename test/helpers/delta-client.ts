// A spec-driven incremental xDS test client: raw @grpc/grpc-js with protobufjs encoding of the Envoy ADS
// messages, written from the xDS protocol text, independent of kxds's server-side codec. Tests drive it
// request by request and read every response in order.
import * as grpc from '@grpc/grpc-js';
import { ADS_SERVICE } from '../../src/server/xds-server';
import { decodeMessage } from '../../src/xds/encode';
import { lookupType, typeNameOfUrl } from '../../src/xds/protos';

export interface DeltaRequestInput {
  node?: Record<string, unknown>;
  type_url: string;
  resource_names_subscribe?: string[];
  resource_names_unsubscribe?: string[];
  initial_resource_versions?: Record<string, string>;
  response_nonce?: string;
  error_detail?: { code: number; message: string };
}

export interface ReceivedResource {
  name: string;
  version: string;
  typeUrl: string;
  value: Record<string, unknown>;
}

export interface ReceivedDeltaResponse {
  systemVersionInfo: string;
  typeUrl: string;
  nonce: string;
  resources: ReceivedResource[];
  removed: string[];
  /** Size of the message on the wire (protobuf bytes). */
  bytes: number;
}

interface DecodedResponse {
  system_version_info?: string;
  type_url?: string;
  nonce?: string;
  resources?: { name?: string; version?: string; resource?: { type_url?: string; value?: Uint8Array } }[];
  removed_resources?: string[];
}

function decodeResponse(bytes: Buffer): ReceivedDeltaResponse {
  const type = lookupType('envoy.service.discovery.v3.DeltaDiscoveryResponse');
  const msg = type.decode(bytes) as unknown as DecodedResponse;
  return {
    systemVersionInfo: msg.system_version_info ?? '',
    typeUrl: msg.type_url ?? '',
    nonce: msg.nonce ?? '',
    removed: [...(msg.removed_resources ?? [])],
    bytes: bytes.length,
    resources: (msg.resources ?? []).map((r) => {
      const typeUrl = r.resource?.type_url ?? '';
      return {
        name: r.name ?? '',
        version: r.version ?? '',
        typeUrl,
        value: typeUrl ? decodeMessage(typeNameOfUrl(typeUrl), r.resource?.value ?? new Uint8Array()) : {},
      };
    }),
  };
}

function encodeRequest(request: DeltaRequestInput): Buffer {
  const type = lookupType('envoy.service.discovery.v3.DeltaDiscoveryRequest');
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

const Client = grpc.makeGenericClientConstructor(
  {
    DeltaAggregatedResources: {
      path: `/${ADS_SERVICE}/DeltaAggregatedResources`,
      requestStream: true,
      responseStream: true,
      requestSerialize: encodeRequest,
      requestDeserialize: (b: Buffer) => b,
      responseSerialize: (b: Buffer) => b,
      responseDeserialize: decodeResponse,
    },
  },
  'DeltaAds',
);

export class DeltaTestClient {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<DeltaRequestInput, ReceivedDeltaResponse>;
  private readonly queue: ReceivedDeltaResponse[] = [];
  private waiter?: (r: ReceivedDeltaResponse) => void;
  error?: Error;
  /** Every response received so far, in order. */
  readonly received: ReceivedDeltaResponse[] = [];
  /** Called for every response as it arrives (before it is queued for next()). */
  onResponse?: (r: ReceivedDeltaResponse) => void;

  constructor(
    address: string,
    options: grpc.ChannelOptions = {},
    credentials = grpc.credentials.createInsecure(),
  ) {
    this.client = new Client(address, credentials, {
      'grpc.max_send_message_length': 64 * 1024 * 1024,
      'grpc.use_local_subchannel_pool': 1, // its own connection, as a proxy's
      ...options,
    });
    const method = (this.client as unknown as Record<string, () => typeof this.call>)
      .DeltaAggregatedResources as () => typeof this.call;
    this.call = method.call(this.client);
    this.call.on('data', (r: ReceivedDeltaResponse) => {
      this.received.push(r);
      this.onResponse?.(r);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(r);
      } else this.queue.push(r);
    });
    this.call.on('error', (err) => (this.error = err));
  }

  send(request: DeltaRequestInput): void {
    this.call.write(request);
  }

  /** The next response, or a rejection after timeoutMs. */
  next(timeoutMs = 5000): Promise<ReceivedDeltaResponse> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(
          new Error(`no delta response within ${timeoutMs} ms${this.error ? `: ${this.error.message}` : ''}`),
        );
      }, timeoutMs);
      this.waiter = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
    });
  }

  /** Resolves true when no response arrives within ms (what a held watch looks like). */
  async silentFor(ms: number): Promise<boolean> {
    if (this.queue.length > 0) return false;
    try {
      const r = await this.next(ms);
      this.queue.unshift(r);
      return false;
    } catch {
      return true;
    }
  }

  /** ACKs a response. */
  ack(response: ReceivedDeltaResponse): void {
    this.send({ type_url: response.typeUrl, response_nonce: response.nonce });
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}
