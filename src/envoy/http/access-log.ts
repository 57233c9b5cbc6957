// The edge's JSON access log on stdout: one line per request with what an operator needs to find which
// route (%ROUTE_NAME% is the owning object) and upstream served it. The TCP and UDP proxies log through the
// same writer with their own fields (src/envoy/tcp/access-log.ts).
import type { Value } from '../../generated/google/protobuf/Value';
import type { AccessLog } from '../../generated/envoy/config/accesslog/v3/AccessLog';
import { pack } from '../../xds/encode';

/** The HTTP request log's fields; the connection-level ones among them are reused by the L4 log. */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
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

/** A JSON line on stdout per request (or connection, or UDP session) with the given command operators. */
export function jsonAccessLog(operators: Readonly<Record<string, string>> = ACCESS_LOG_FIELDS): AccessLog {
  const fields: Record<string, Value> = {};
  for (const [key, format] of Object.entries(operators)) fields[key] = { stringValue: format };
  return {
    name: 'envoy.access_loggers.stdout',
    typed_config: pack('envoy.extensions.access_loggers.stream.v3.StdoutAccessLog', {
      log_format: { json_format: { fields } },
    }),
  };
}
