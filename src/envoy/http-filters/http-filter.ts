// What an HTTP filter plug-in is: the filter it adds to an HttpConnectionManager's chain, and what it adds
// to a route's typed_per_filter_config for the route's filter settings (nothing when the route asks nothing).
import type { HttpFilter } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import type { Any } from '../../generated/google/protobuf/Any';
import type { IrRouteFilterSettings } from '../../ir/http-filters';

export interface HttpFilterPlugin {
  /** The filter's name in the chain, also the key of its per-route configuration. */
  name: string;
  hcmFilter(): HttpFilter;
  perRoute?(settings: IrRouteFilterSettings): Any | undefined;
}
