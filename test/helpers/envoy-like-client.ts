// An ADS client that subscribes the way Envoy does, over real gRPC, in either protocol: CDS and LDS wildcard,
// RDS for the route names its listeners carry, EDS for the service names of its EDS clusters, each response
// applied (full-state CDS/LDS replace what is held, RDS/EDS add; delta removes what removed_resources names)
// and ACKed at once. After every applied response it checks what a request routed now would meet: every
// cluster a held route names is held, and an EDS one has its endpoints (else Envoy answers 503 while it
// warms). Each broken instant is recorded in `violations`.
import * as grpc from '@grpc/grpc-js';
import { decodeMessage } from '../../src/xds/encode';
import { lookupType, typeNameOfUrl } from '../../src/xds/protos';
import { KIND_BY_TYPE_URL, TYPE_URLS, type ResourceKind } from '../../src/xds/types';
import { jsonToStruct } from '../../src/xds/struct';
import { adsChannel } from './ads-client';
import { DeltaTestClient, type ReceivedDeltaResponse } from './delta-client';
import { decodeAnyBytes, resourceName } from './xds-decode';

type Json = Record<string, unknown>;
type Protocol = 'sotw' | 'delta';
type AdsCall = grpc.ClientDuplexStream<Json, Json>;

interface RouteAction {
  cluster?: string;
  weighted_clusters?: { clusters?: { name?: string }[] };
  request_mirror_policies?: { cluster?: string }[];
}

/** The clusters a decoded RouteConfiguration sends to, read by field path as Envoy's router does. */
export function routedClusters(config: Json): string[] {
  const hosts = (config.virtual_hosts ?? []) as { routes?: { route?: RouteAction }[] }[];
  return hosts.flatMap((host) =>
    (host.routes ?? []).flatMap(({ route }) => [
      ...(route?.cluster ? [route.cluster] : []),
      ...(route?.weighted_clusters?.clusters ?? []).flatMap((c) => (c.name ? [c.name] : [])),
      ...(route?.request_mirror_policies ?? []).flatMap((m) => (m.cluster ? [m.cluster] : [])),
    ]),
  );
}

/** Route configuration names in a listener (nested Anys decoded on the way). */
function routeNames(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => routeNames(v, into));
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  const record = value as Json;
  if (typeof record.type_url === 'string' && record.value instanceof Uint8Array)
    return routeNames(decodeMessage(typeNameOfUrl(record.type_url), record.value), into);
  if (typeof record.route_config_name === 'string') into.add(record.route_config_name);
  for (const v of Object.values(record)) routeNames(v, into);
}

export class EnvoyLikeClient {
  readonly held: Record<ResourceKind, Map<string, Json>> = {
    listener: new Map(),
    route: new Map(),
    cluster: new Map(),
    endpoint: new Map(),
    secret: new Map(),
  };
  readonly violations: string[] = [];
  responses = 0;
  private readonly subscribed = { route: new Set<string>(), endpoint: new Set<string>() };
  private readonly lastNonce = new Map<ResourceKind, { nonce: string; version: string }>();
  private readonly sotw?: AdsCall;
  private readonly delta?: DeltaTestClient;
  private readonly channel?: grpc.Client;

  constructor(
    address: string,
    readonly protocol: Protocol,
    private readonly node: { id: string; metadata: Record<string, string> },
  ) {
    const wireNode = { ...node, metadata: jsonToStruct(node.metadata) };
    if (protocol === 'delta') {
      this.delta = new DeltaTestClient(address);
      this.delta.onResponse = (r) => this.applyDelta(r);
      this.delta.send({ node: wireNode, type_url: TYPE_URLS.cluster });
      this.delta.send({ type_url: TYPE_URLS.listener });
      return;
    }
    this.channel = adsChannel(address);
    const call = (
      this.channel as unknown as { StreamAggregatedResources(): AdsCall }
    ).StreamAggregatedResources();
    this.sotw = call;
    call.on('data', (raw: Json) => this.applySotw(raw));
    call.on('error', () => undefined);
    call.write({ node: wireNode, type_url: TYPE_URLS.cluster, resource_names: [] });
    call.write({ type_url: TYPE_URLS.listener, resource_names: [] });
  }

  close(): void {
    this.sotw?.cancel();
    this.channel?.close();
    this.delta?.close();
  }

  private applySotw(raw: Json): void {
    const kind = KIND_BY_TYPE_URL.get(String(raw.type_url));
    if (!kind) return;
    const resources = ((raw.resources ?? []) as { type_url: string; value: Uint8Array }[]).map(
      (any) => decodeAnyBytes(lookupType('google.protobuf.Any').encode(any).finish()).value,
    );
    if (kind === 'cluster' || kind === 'listener') this.held[kind].clear();
    for (const r of resources) this.held[kind].set(resourceName(r), r);
    this.lastNonce.set(kind, { nonce: String(raw.nonce), version: String(raw.version_info) });
    this.afterApply(`${kind} ${String(raw.version_info)}`);
    this.sotw?.write(this.sotwRequest(kind));
    this.updateSubscriptions();
  }

  private applyDelta(r: ReceivedDeltaResponse): void {
    const kind = KIND_BY_TYPE_URL.get(r.typeUrl);
    if (!kind) return;
    for (const name of r.removed) this.held[kind].delete(name);
    for (const resource of r.resources) this.held[kind].set(resource.name, resource.value);
    this.afterApply(`${kind} ${r.systemVersionInfo}`);
    this.delta?.ack(r);
    this.updateSubscriptions();
  }

  private sotwRequest(kind: ResourceKind): Json {
    const last = this.lastNonce.get(kind);
    const names = kind === 'route' || kind === 'endpoint' ? [...this.subscribed[kind]].sort() : [];
    return {
      type_url: TYPE_URLS[kind],
      resource_names: names,
      version_info: last?.version ?? '',
      response_nonce: last?.nonce ?? '',
    };
  }

  /** What Envoy subscribes to follows what it holds: its listeners' routes, its EDS clusters' endpoints. */
  private updateSubscriptions(): void {
    const routes = new Set<string>();
    for (const listener of this.held.listener.values()) routeNames(listener, routes);
    const endpoints = new Set<string>();
    for (const [name, cluster] of this.held.cluster)
      if (cluster.type === 'EDS' || cluster.eds_cluster_config)
        endpoints.add(String((cluster.eds_cluster_config as Json | undefined)?.service_name || name));
    for (const [kind, wanted] of [
      ['route', routes],
      ['endpoint', endpoints],
    ] as const) {
      const current = this.subscribed[kind];
      const added = [...wanted].filter((n) => !current.has(n));
      const removed = [...current].filter((n) => !wanted.has(n));
      if (added.length === 0 && removed.length === 0) continue;
      this.subscribed[kind] = new Set(wanted);
      // Envoy forgets what it no longer subscribes to.
      for (const name of removed) this.held[kind].delete(name);
      if (this.delta)
        this.delta.send({
          type_url: TYPE_URLS[kind],
          resource_names_subscribe: added,
          resource_names_unsubscribe: removed,
        });
      else this.sotw?.write(this.sotwRequest(kind));
    }
  }

  private afterApply(what: string): void {
    this.responses++;
    for (const [routeName, route] of this.held.route) {
      if (!this.subscribed.route.has(routeName)) continue;
      for (const cluster of routedClusters(route)) {
        const held = this.held.cluster.get(cluster);
        if (!held)
          this.violations.push(`after ${what}: route ${routeName} names cluster ${cluster}, not held`);
        else if ((held.type === 'EDS' || held.eds_cluster_config) && !this.held.endpoint.has(cluster))
          this.violations.push(`after ${what}: route ${routeName} names cluster ${cluster}, still warming`);
      }
    }
  }
}
