// The JSON access log line of a proxied TCP connection or UDP session: no request, so no method, path or
// status; what identifies it is the SNI the client sent, the chain (%FILTER_CHAIN_NAME%, the owning route)
// and the upstream that took it.
import type { AccessLog } from '../../generated/envoy/config/accesslog/v3/AccessLog';
import { jsonAccessLog } from '../http/access-log';

const L4_ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  start_time: '%START_TIME%',
  protocol: '%PROTOCOL%',
  requested_server_name: '%REQUESTED_SERVER_NAME%',
  filter_chain: '%FILTER_CHAIN_NAME%',
  response_flags: '%RESPONSE_FLAGS%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  duration_ms: '%DURATION%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  upstream_host: '%UPSTREAM_HOST%',
  downstream_remote_address: '%DOWNSTREAM_REMOTE_ADDRESS%',
};

export function l4AccessLog(): AccessLog {
  return jsonAccessLog(L4_ACCESS_LOG_FIELDS);
}
