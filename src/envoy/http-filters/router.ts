// HTTP filter plug-in: the router, always last in a chain (gRPC clients require its typed_config).
import { routerFilter as routerHttpFilter } from '../common';
import type { HttpFilterPlugin } from './http-filter';

export const routerFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.router',
  hcmFilters: () => [routerHttpFilter()],
};
