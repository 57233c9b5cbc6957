// What CSDS (envoy.service.status.v3.ClientStatusDiscoveryService) answers: for every connected node, each
// resource kxds sent or was asked for, with the version sent, ACKED / NACKED / REQUESTED / DOES_NOT_EXIST,
// the NACK's error and when it was last updated. Nodes are selected by NodeMatcher on id and on
// metadata "kxds.io/role" (the effective role, also when it was inferred from the user agent). Resource
// contents never carry key material: private keys and the like are replaced before encoding. The gRPC
// service and who may call it are in csds-service.ts.
import type { ClientConfig } from '../generated/envoy/service/status/v3/ClientConfig';
import type { Struct } from '../generated/google/protobuf/Struct';
import type { NodeMatcher } from '../generated/envoy/type/matcher/v3/NodeMatcher';
import { encodeMessage } from '../xds/encode';
import { redactKeyMaterial } from '../xds/key-material';
import { jsonToStruct } from '../xds/struct';
import { MESSAGE_NAME, type ResourceKind } from '../xds/types';
import { typeUrlOf } from '../xds/protos';
import { resourceStatuses, type ConnectedClient } from './client-status';
import { ROLE_METADATA_KEY } from './node';
import { matchAny } from './node-matcher';

export const CSDS_SERVICE = 'envoy.service.status.v3.ClientStatusDiscoveryService';

export interface ClientStatusRequest {
  node_matchers?: NodeMatcher[];
  exclude_resource_contents?: boolean;
}

function timestamp(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/** The metadata a node is matched on: its effective role (and namespace for sidecars). */
export function matchableMetadata(client: ConnectedClient): Record<string, string> {
  return {
    [ROLE_METADATA_KEY]: client.info.role,
    ...(client.info.namespace ? { 'kxds.io/namespace': client.info.namespace } : {}),
  };
}

/**
 * A resource's bytes as CSDS may show them: key material replaced (see src/xds/key-material.ts). Cached per
 * encoded resource (the bytes are shared and immutable), so repeated CSDS requests decode each one once.
 */
export type ContentRedactor = (kind: ResourceKind, bytes: Uint8Array) => Uint8Array;

export function cachingRedactor(): ContentRedactor {
  const redacted = new WeakMap<Uint8Array, Uint8Array>();
  return (kind, bytes) => {
    let out = redacted.get(bytes);
    if (!out) redacted.set(bytes, (out = redactKeyMaterial(MESSAGE_NAME[kind], bytes)));
    return out;
  };
}

export function clientConfig(
  client: ConnectedClient,
  includeContents = true,
  redact: ContentRedactor = cachingRedactor(),
): ClientConfig {
  const [agentName = '', ...agentVersion] = client.info.userAgent.split(' ');
  return {
    node: {
      id: client.info.id,
      user_agent_name: agentName,
      user_agent_version: agentVersion.join(' '),
      // jsonToStruct's loose nullValue typing is the only difference from the generated Struct type.
      // The node group too (not matched on): `kxds proxy-status` shows it.
      metadata: jsonToStruct({
        ...matchableMetadata(client),
        'kxds.io/group': client.info.groupKey,
      }) as Struct,
    },
    generic_xds_configs: resourceStatuses(client).map((r) => {
      const resource = client.snapshot?.types[r.kind].resources.get(r.name);
      // The exact bytes sent are known only while the snapshot still holds that version.
      const contents =
        includeContents && resource && resource.version === r.version
          ? {
              xds_config: {
                type_url: typeUrlOf(MESSAGE_NAME[r.kind]),
                value: Buffer.from(redact(r.kind, resource.messageBytes)),
              },
            }
          : {};
      return {
        type_url: r.typeUrl,
        name: r.name,
        version_info: r.version,
        ...contents,
        ...(r.lastUpdated ? { last_updated: timestamp(r.lastUpdated) } : {}),
        config_status: r.configStatus,
        client_status: r.clientStatus,
        ...(r.nack
          ? {
              error_state: {
                details: r.nack.message,
                last_update_attempt: timestamp(r.nack.at),
                version_info: r.nack.version,
              },
            }
          : {}),
      };
    }),
  };
}

/** ClientStatusResponse bytes for the clients a request selects. */
export function clientStatusResponse(
  clients: readonly ConnectedClient[],
  request: ClientStatusRequest,
  redact: ContentRedactor = cachingRedactor(),
): Buffer {
  const matchers = request.node_matchers ?? [];
  const config = clients
    .filter((c) => matchAny(matchers, { id: c.info.id, metadata: matchableMetadata(c) }))
    .sort((a, b) => a.info.id.localeCompare(b.info.id))
    .map((c) => clientConfig(c, !request.exclude_resource_contents, redact));
  return encodeMessage('envoy.service.status.v3.ClientStatusResponse', { config });
}
