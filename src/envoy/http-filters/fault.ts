// HTTP filter plug-in: fault injection (envoy.filters.http.fault; gRFC A33 for gRPC clients). The chain's
// copy injects nothing; a route asking for faults gets its own HTTPFault: a fixed delay and/or an abort
// (a gRPC status or an HTTP status), each for a percentage of requests.
import type { HTTPFault } from '../../generated/envoy/extensions/filters/http/fault/v3/HTTPFault';
import type { FractionalPercent } from '../../generated/envoy/type/v3/FractionalPercent';
import type { IrFault } from '../../ir/http-filters';
import { pack } from '../../xds/encode';
import { durationMs } from '../common';
import type { HttpFilterPlugin } from './http-filter';

const HTTP_FAULT = 'envoy.extensions.filters.http.fault.v3.HTTPFault';

/** A percentage with up to four decimals, as Envoy's fixed-denominator fraction (per million). */
function perMillion(percent: number): FractionalPercent {
  return { numerator: Math.round(Math.min(100, Math.max(0, percent)) * 10_000), denominator: 'MILLION' };
}

export function httpFault(fault: IrFault): HTTPFault {
  const { delay, abort } = fault;
  return {
    ...(delay ? { delay: { fixed_delay: durationMs(delay.fixedMs), percentage: perMillion(delay.percent) } } : {}),
    ...(abort
      ? {
          abort: {
            ...('grpcStatus' in abort ? { grpc_status: abort.grpcStatus } : { http_status: abort.httpStatus }),
            percentage: perMillion(abort.percent),
          },
        }
      : {}),
  };
}

export const faultFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.fault',
  hcmFilters: () => [{ name: faultFilter.name, typed_config: pack(HTTP_FAULT, {}) }],
  perRoute: (settings) => (settings.fault ? pack(HTTP_FAULT, httpFault(settings.fault)) : undefined),
};
