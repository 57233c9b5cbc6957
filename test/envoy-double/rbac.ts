// Envoy's RBAC HTTP filter, for what kxds emits: a per-route RBACPerRoute whose rules (ALLOW or DENY) hold
// policies with `any` permissions and principals built from any, or_ids, and_ids, not_id, direct_remote_ip
// (the TCP peer) and remote_ip (the address the connection manager inferred). An ALLOW set lets a request
// through when some policy matches, a DENY set when none does; a refused request gets 403 "RBAC: access
// denied". A route without per-route config runs the chain's copy, which the double accepts only empty.
import { BlockList, isIPv4 } from 'node:net';
import type { Principal } from '../../src/generated/envoy/config/rbac/v3/Principal';
import type { Policy } from '../../src/generated/envoy/config/rbac/v3/Policy';
import type { RBACPerRoute } from '../../src/generated/envoy/extensions/filters/http/rbac/v3/RBACPerRoute';
import type { CidrRange } from '../../src/generated/envoy/config/core/v3/CidrRange';
import { anyFields, anyTypeUrl, type SupportProblems } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

export const RBAC_FILTER = 'envoy.filters.http.rbac';

/** The two addresses a principal can name. */
export interface RequestAddresses {
  direct: string;
  remote: string;
}

function checkCidr(cidr: CidrRange | null | undefined, path: string, check: SupportProblems): void {
  check.fields(cidr, path, ['address_prefix', 'prefix_len']);
}

function checkPrincipal(p: Principal, path: string, check: SupportProblems): void {
  check.fields(p, path, ['any', 'or_ids', 'and_ids', 'not_id', 'direct_remote_ip', 'remote_ip']);
  for (const [i, id] of [...(p.or_ids?.ids ?? []), ...(p.and_ids?.ids ?? [])].entries())
    checkPrincipal(id, `${path}.ids[${i}]`, check);
  if (p.not_id) checkPrincipal(p.not_id, `${path}.not_id`, check);
  checkCidr(p.direct_remote_ip, `${path}.direct_remote_ip`, check);
  checkCidr(p.remote_ip, `${path}.remote_ip`, check);
}

/** The support check of one route's typed_per_filter_config entry for the RBAC filter. */
export function checkRbacPerRoute(any: unknown, path: string, check: SupportProblems): void {
  if (anyTypeUrl(any) !== DOUBLE_TYPE_URLS.rbacPerRoute)
    return check.add(path, `expects ${DOUBLE_TYPE_URLS.rbacPerRoute}`);
  const config = anyFields<RBACPerRoute>(any);
  check.fields(config, path, ['rbac']);
  check.fields(config.rbac, `${path}.rbac`, ['rules']);
  const rules = config.rbac?.rules;
  check.fields(rules, `${path}.rbac.rules`, ['action', 'policies']);
  if (rules?.action !== undefined && rules.action !== 'ALLOW' && rules.action !== 'DENY')
    check.add(`${path}.rbac.rules.action`, `implements ALLOW and DENY (got ${String(rules.action)})`);
  for (const [name, policy] of Object.entries(rules?.policies ?? {})) {
    const at = `${path}.rbac.rules.policies[${name}]`;
    check.fields(policy, at, ['permissions', 'principals']);
    for (const [i, permission] of (policy.permissions ?? []).entries())
      if (Object.keys(permission).some((k) => k !== 'any') || permission.any !== true)
        check.add(`${at}.permissions[${i}]`, 'implements only the permission any: true');
    for (const [i, principal] of (policy.principals ?? []).entries())
      checkPrincipal(principal, `${at}.principals[${i}]`, check);
  }
}

function inCidr(address: string, cidr: CidrRange | null | undefined): boolean {
  const prefix = String(cidr?.address_prefix ?? '');
  const family = isIPv4(prefix) ? 'ipv4' : 'ipv6';
  const bare = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if ((isIPv4(bare) ? 'ipv4' : 'ipv6') !== family) return false;
  const blocks = new BlockList();
  blocks.addSubnet(prefix, Number(cidr?.prefix_len?.value ?? (family === 'ipv4' ? 32 : 128)), family);
  return blocks.check(bare, family);
}

function principalMatches(p: Principal, addresses: RequestAddresses): boolean {
  if (p.any) return true;
  if (p.or_ids) return (p.or_ids.ids ?? []).some((id) => principalMatches(id, addresses));
  if (p.and_ids) return (p.and_ids.ids ?? []).every((id) => principalMatches(id, addresses));
  if (p.not_id) return !principalMatches(p.not_id, addresses);
  if (p.direct_remote_ip) return inCidr(addresses.direct, p.direct_remote_ip);
  if (p.remote_ip) return inCidr(addresses.remote, p.remote_ip);
  return false;
}

function policyMatches(policy: Policy, addresses: RequestAddresses): boolean {
  // Permissions are all `any` (the support check refused others).
  return (policy.principals ?? []).some((p) => principalMatches(p, addresses));
}

/** Whether the route's RBAC config (if any) lets the request through. */
export function rbacAllows(
  perFilter: Record<string, unknown> | undefined,
  addresses: RequestAddresses,
): boolean {
  const any = perFilter?.[RBAC_FILTER];
  if (!any) return true;
  const rules = anyFields<RBACPerRoute>(any).rbac?.rules;
  // RBACPerRoute without rules disables the filter on this route.
  if (!rules) return true;
  const matched = Object.values(rules.policies ?? {}).some((p) => policyMatches(p, addresses));
  return (rules.action ?? 'ALLOW') === 'ALLOW' ? matched : !matched;
}
