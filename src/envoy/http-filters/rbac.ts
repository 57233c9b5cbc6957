// HTTP filter plug-in: RBAC, for client address allow and deny lists. The chain's copy has no rules (it
// enforces nothing); a route with address lists gets one ALLOW policy: any address of the allow list (any
// address when it is empty) and none of the deny list, so a deny entry always wins. A request it refuses
// gets Envoy's 403 "RBAC: access denied". First in the chain: a refused client reaches no other filter.
import type { RBACPerRoute } from '../../generated/envoy/extensions/filters/http/rbac/v3/RBACPerRoute';
import type { Principal } from '../../generated/envoy/config/rbac/v3/Principal';
import type { IrCidr, IrSourceRanges } from '../../ir/http-filters';
import { pack } from '../../xds/encode';
import type { HttpFilterPlugin } from './http-filter';

function addressPrincipals(cidrs: readonly IrCidr[], by: IrSourceRanges['by']): Principal[] {
  // direct_remote_ip is always the TCP peer; remote_ip the address the connection manager inferred
  // from trusted X-Forwarded-For hops or the PROXY protocol.
  const field = by === 'peer' ? 'direct_remote_ip' : 'remote_ip';
  return cidrs.map((c) => ({ [field]: { address_prefix: c.address, prefix_len: { value: c.prefixLength } } }));
}

export function sourceRangePolicy(ranges: IrSourceRanges): RBACPerRoute {
  const ids: Principal[] = [];
  if (ranges.allow.length > 0) ids.push({ or_ids: { ids: addressPrincipals(ranges.allow, ranges.by) } });
  if (ranges.deny.length > 0)
    ids.push({ not_id: { or_ids: { ids: addressPrincipals(ranges.deny, ranges.by) } } });
  const principal: Principal = ids.length === 1 ? (ids[0] as Principal) : { and_ids: { ids } };
  return {
    rbac: {
      rules: {
        action: 'ALLOW',
        policies: { 'source-ranges': { permissions: [{ any: true }], principals: [principal] } },
      },
    },
  };
}

export const rbacFilter: HttpFilterPlugin = {
  name: 'envoy.filters.http.rbac',
  hcmFilters: () => [{
    name: rbacFilter.name,
    typed_config: pack('envoy.extensions.filters.http.rbac.v3.RBAC', {}),
  }],
  perRoute: (settings) =>
    settings.sourceRanges
      ? pack('envoy.extensions.filters.http.rbac.v3.RBACPerRoute', sourceRangePolicy(settings.sourceRanges))
      : undefined,
};
