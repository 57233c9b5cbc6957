// The edge's JSON access log on stdout: one line per request with what an operator needs to find which
// route (%ROUTE_NAME% is the owning object) and upstream served it.
import type { Value } from '../../generated/google/protobuf/Value';
import type { HttpConnectionManager } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import { pack } from '../../xds/encode';

const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  start_time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  protocol: '%PROTOCOL%',
  authority: '%REQ(:AUTHORITY)%',
  response_code: '%RESPONSE_CODE%',
  grpc_status: '%GRPC_STATUS%',
  response_flags: '%RESPONSE_FLAGS%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  duration_ms: '%DURATION%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  upstream_host: '%UPSTREAM_HOST%',
  downstream_remote_address: '%DOWNSTREAM_REMOTE_ADDRESS%',
  user_agent: '%REQ(USER-AGENT)%',
  request_id: '%REQ(X-REQUEST-ID)%',
  route_name: '%ROUTE_NAME%',
};

export function jsonAccessLog(): NonNullable<HttpConnectionManager['access_log']>[number] {
  const fields: Record<string, Value> = {};
  for (const [key, format] of Object.entries(ACCESS_LOG_FIELDS)) fields[key] = { stringValue: format };
  return {
    name: 'envoy.access_loggers.stdout',
    typed_config: pack('envoy.extensions.access_loggers.stream.v3.StdoutAccessLog', {
      log_format: { json_format: { fields } },
    }),
  };
}
