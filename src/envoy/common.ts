// Small shared pieces of Envoy config: the ADS config source, durations, the router filter.
import type { ConfigSource } from '../generated/envoy/config/core/v3/ConfigSource';
import type { Duration } from '../generated/google/protobuf/Duration';
import type { HttpFilter } from '../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import { pack } from '../xds/encode';

/** Resources come over the same ADS stream. */
export function adsConfigSource(): ConfigSource {
  return { ads: {}, resource_api_version: 'V3' };
}

export function durationMs(ms: number): Duration {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function routerFilter(): HttpFilter {
  return {
    name: 'envoy.filters.http.router',
    typed_config: pack('envoy.extensions.filters.http.router.v3.Router', {}),
  };
}
