// What an HTTP filter plug-in is: the filters it adds to an HttpConnectionManager's chain, and what it adds
// to a route's typed_per_filter_config for the route's filter settings (nothing when the route asks nothing).
import type { HttpFilter } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import type { Any } from '../../generated/google/protobuf/Any';
import type { IrRouteFilterSettings } from '../../ir/http-filters';

export interface HttpFilterPlugin {
  /** The filter's name in the chain, also the key of its per-route configuration. */
  name: string;
  /**
   * The plug-in's filters in a chain whose routes ask for these settings: most plug-ins add one filter
   * whatever the routes are; one whose filter holds a service (ext_authz) adds one per service used.
   */
  hcmFilters(routes: readonly IrRouteFilterSettings[]): HttpFilter[];
  /** The route's config under the plug-in's name. */
  perRoute?(settings: IrRouteFilterSettings): Any | undefined;
  /** The route's config under the name of one of the plug-in's filters (a per-service one). */
  perRouteNamed?(settings: IrRouteFilterSettings): [string, Any] | undefined;
}
