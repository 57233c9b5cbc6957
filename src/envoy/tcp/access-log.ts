// The JSON access log line of a proxied TCP connection or UDP session: no request, so no method, path or
// status; what identifies it is the SNI the client sent, the chain (%FILTER_CHAIN_NAME%, the owning route)
// and the upstream that took it.
import type { AccessLog } from '../../generated/envoy/config/accesslog/v3/AccessLog';
import { ACCESS_LOG_FIELDS, jsonAccessLog } from '../http/access-log';

/** The HTTP log's fields that mean something for a connection, then what only L4 logs carry. */
const SHARED_FIELDS = [
  'start_time',
  'protocol',
  'response_flags',
  'bytes_received',
  'bytes_sent',
  'duration_ms',
  'upstream_cluster',
  'upstream_host',
  'downstream_remote_address',
] as const;

const L4_ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(SHARED_FIELDS.map((key) => [key, ACCESS_LOG_FIELDS[key] ?? ''])),
  requested_server_name: '%REQUESTED_SERVER_NAME%',
  filter_chain: '%FILTER_CHAIN_NAME%',
};

export function l4AccessLog(): AccessLog {
  return jsonAccessLog(L4_ACCESS_LOG_FIELDS);
}
