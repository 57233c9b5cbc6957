// IR hash keys -> a route's hash_policy, shared by the edge, sidecar and proxyless routes. Which keys a
// data plane may receive was decided by its dialect before (src/translate/dialects/hold-back.ts).
import type { RouteAction } from '../generated/envoy/config/route/v3/RouteAction';
import type { IrHashOn } from '../ir/clusters';
import { durationMs } from './common';

export function hashPolicy(on: IrHashOn): NonNullable<RouteAction['hash_policy']>[number] {
  switch (on.kind) {
    case 'header':
      return { header: { header_name: on.name } };
    case 'cookie':
      // A TTL (0 = session cookie) makes Envoy set the cookie when the client has none.
      return { cookie: { name: on.name, ttl: durationMs(0) } };
    case 'source-ip':
      return { connection_properties: { source_ip: true } };
    case 'channel-id':
      // gRFC A42: gRPC clients put their channel's id in this filter state key; Envoy has no such key.
      return { filter_state: { key: 'io.grpc.channel_id' } };
  }
}
