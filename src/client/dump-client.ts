// The xDS client behind `kxds dump`: one ADS stream that subscribes the way a proxy of the given role does
// (wildcard LDS and CDS, then the RDS, EDS and SDS names those reference), ACKs every response, and reports
// each decoded response to the caller, in the JSON shape of every kxds output (proto-json.ts resourceJson).
import * as grpc from '@grpc/grpc-js';
import { resourceJson } from '../xds/proto-json';
import { rawMethodClient } from './raw-method-client';
import { jsonToStruct } from '../xds/struct';
import { FULL_STATE_KINDS, KIND_BY_TYPE_URL, TYPE_URLS, type ResourceKind } from '../xds/types';
import { endpointNamesOf, routeNamesOf, secretNamesOf } from './xds-references';

export interface DumpNode {
  id: string;
  role: string;
  namespace?: string;
}

export interface DecodedResponse {
  kind: ResourceKind;
  version_info: string;
  type_url: string;
  nonce: string;
  resources: Record<string, unknown>[];
}

const ADS_PATH = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';

export class DumpClient {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<object, Buffer>;
  private first = true;
  /** Names asked for per non-wildcard type, so a changed reference set is re-requested. */
  private readonly names = new Map<ResourceKind, string[]>();
  private readonly latest = new Map<ResourceKind, DecodedResponse>();
  private readonly sdsFrom = new Map<ResourceKind, string[]>();

  constructor(
    server: string,
    private readonly node: DumpNode,
    private readonly onResponse: (response: DecodedResponse) => void,
    private readonly onError: (err: Error) => void,
    credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
    /** Keep key material in what is reported (`--show-secrets`); redacted as CSDS redacts it otherwise. */
    private readonly showSecrets = false,
  ) {
    const method = {
      name: 'StreamAggregatedResources',
      path: ADS_PATH,
      requestType: 'envoy.service.discovery.v3.DiscoveryRequest',
      streaming: true,
    };
    this.client = rawMethodClient(method, server, credentials);
    this.call = (
      this.client as unknown as { StreamAggregatedResources(): grpc.ClientDuplexStream<object, Buffer> }
    ).StreamAggregatedResources();
    this.call.on('data', (bytes: Buffer) => this.receive(bytes));
    this.call.on('error', (err: Error & { code?: number }) => {
      if (err.code !== grpc.status.CANCELLED) this.onError(err);
    });
  }

  start(): void {
    this.send('listener', ['*']);
    this.send('cluster', ['*']);
  }

  /** The newest response per type. */
  responses(): ReadonlyMap<ResourceKind, DecodedResponse> {
    return this.latest;
  }

  /** Names requested but not (yet) answered, per type: what the server does not have. */
  missing(): Map<ResourceKind, string[]> {
    const out = new Map<ResourceKind, string[]>();
    for (const [kind, names] of this.names) {
      const got = new Set((this.latest.get(kind)?.resources ?? []).map(resourceNameOf));
      const missing = names.filter((n) => !got.has(n));
      if (missing.length > 0) out.set(kind, missing);
    }
    return out;
  }

  /** True once LDS and CDS answered and every referenced name has arrived. */
  complete(): boolean {
    return this.latest.has('listener') && this.latest.has('cluster') && this.missing().size === 0;
  }

  /** Half-closes the stream so the last ACKs are flushed, then closes the channel (within 1 s). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      this.call.once('status', () => {
        clearTimeout(timer);
        resolve();
      });
      this.call.end();
    });
    this.call.cancel();
    this.client.close();
  }

  private send(kind: ResourceKind, names: string[], ack?: DecodedResponse): void {
    const message: Record<string, unknown> = {
      type_url: TYPE_URLS[kind],
      resource_names: names,
      version_info: ack?.version_info ?? this.latest.get(kind)?.version_info ?? '',
      response_nonce: ack?.nonce ?? this.latest.get(kind)?.nonce ?? '',
    };
    if (this.first) {
      this.first = false;
      message.node = {
        id: this.node.id,
        user_agent_name: 'kxds-dump',
        metadata: jsonToStruct({
          'kxds.io/role': this.node.role,
          ...(this.node.namespace ? { 'kxds.io/namespace': this.node.namespace } : {}),
        }),
      };
    }
    this.call.write(message);
  }

  private receive(bytes: Buffer): void {
    // The JSON shape of every kxds output (src/xds/proto-json.ts): what Envoy's /config_dump prints.
    const raw = resourceJson('envoy.service.discovery.v3.DiscoveryResponse', bytes, this.showSecrets) as {
      version_info?: string;
      type_url?: string;
      nonce?: string;
      resources?: Record<string, unknown>[];
    };
    const kind = KIND_BY_TYPE_URL.get(raw.type_url ?? '');
    if (!kind) return;
    const response: DecodedResponse = {
      kind,
      version_info: raw.version_info ?? '',
      type_url: raw.type_url ?? '',
      nonce: raw.nonce ?? '',
      resources: this.held(kind, raw.resources ?? []),
    };
    this.latest.set(kind, response);
    // ACK with the same subscription, then follow the references like a proxy would.
    this.send(
      kind,
      kind === 'listener' || kind === 'cluster' ? ['*'] : (this.names.get(kind) ?? []),
      response,
    );
    if (kind === 'listener') {
      this.subscribe('route', routeNamesOf(response.resources));
      this.sdsFrom.set(kind, secretNamesOf(response.resources));
    }
    if (kind === 'cluster') {
      this.subscribe('endpoint', endpointNamesOf(response.resources));
      this.sdsFrom.set(kind, secretNamesOf(response.resources));
    }
    if (kind === 'listener' || kind === 'cluster')
      this.subscribe('secret', [...new Set([...this.sdsFrom.values()].flat())].sort());
    this.onResponse(response);
  }

  /**
   * What the client holds after a response: LDS and CDS responses are the full state; other types (EDS
   * responses carry only what changed) add to what it held, keeping only the names still subscribed.
   */
  private held(kind: ResourceKind, resources: Record<string, unknown>[]): Record<string, unknown>[] {
    const before = this.latest.get(kind);
    if (FULL_STATE_KINDS.has(kind) || !before) return resources;
    const byName = new Map(before.resources.map((r) => [resourceNameOf(r), r]));
    for (const r of resources) byName.set(resourceNameOf(r), r);
    const wanted = new Set(this.names.get(kind) ?? []);
    return [...byName].filter(([name]) => wanted.has(name)).map(([, r]) => r);
  }

  private subscribe(kind: ResourceKind, names: string[]): void {
    const before = this.names.get(kind) ?? [];
    if (names.length === 0 && before.length === 0) return;
    if (names.join('\n') === before.join('\n')) return;
    this.names.set(kind, names);
    this.send(kind, names);
  }
}

/** A decoded resource's name (a ClusterLoadAssignment names itself by cluster_name). */
function resourceNameOf(resource: Record<string, unknown>): string {
  return String(resource.name ?? resource.cluster_name);
}
