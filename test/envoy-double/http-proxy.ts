// The double's HTTP handling for one request on one filter chain: read it as the connection manager
// does, find the chain's route configuration (RDS), let the router decide, refuse it when the route's RBAC
// policy does (403), its basic auth does (401) or its auth service does (its answer), and answer: a local reply
// (404 without a route, direct responses, redirects) or the forwarded upstream response.
import type { ConfigStore } from './config-store';
import type { RequestHandler } from './downstream';
import { matchHeaders, readDownstreamRequest, type DownstreamRequest } from './downstream-request';
import { extAuthzVerdict } from './ext-authz';
import { HEADER_MUTATION_FILTER, withoutRemovedHeaders } from './header-mutation';
import type { RoundRobin } from './endpoints';
import { forward } from './forward';
import { applyHeaderLevels, type HeaderMap } from './header-ops';
import { isGrpc, sendLocalReply } from './local-reply';
import { decideRoute, type RouteDecision } from './route-decision';
import { rbacAllows, RBAC_FILTER } from './rbac';
import { basicAuthRefusal, BASIC_AUTH_FILTER } from './basic-auth';
import type { ConnectionContext } from './downstream';
import { requestAddresses } from './client-address';
import type { UpstreamPool } from './upstream-pool';

export interface ProxyDeps {
  config: ConfigStore;
  pool: UpstreamPool;
  roundRobin: RoundRobin;
  random: () => number;
}

/** Whether the chain has the filter: enabled, or disabled and switched on by a route's config. */
function enabledFilter(context: ConnectionContext, name: string): boolean {
  return (context.hcm.http_filters ?? []).some((f) => f.name === name);
}

/**
 * header_mutation's removals, then ext_authz (both after basic auth in the chain), then the router with
 * the auth service's headers set.
 */
async function authorizeAndForward(
  deps: ProxyDeps,
  context: ConnectionContext,
  request: DownstreamRequest,
  decision: Extract<RouteDecision, { kind: 'forward' }>,
  req: Parameters<RequestHandler>[1],
  res: Parameters<RequestHandler>[2],
  grpc: boolean,
): Promise<void> {
  const mutated = enabledFilter(context, HEADER_MUTATION_FILTER)
    ? { ...request, headers: withoutRemovedHeaders(decision.perFilter, request.headers) }
    : request;
  const verdict = await extAuthzVerdict(deps, context, mutated, decision.perFilter);
  if (!verdict.allowed) {
    req.resume();
    return sendLocalReply(res, verdict.reply, grpc);
  }
  const headers = new Map(mutated.headers);
  for (const [name, values] of verdict.upstreamHeaders) headers.set(name, values);
  return forward(deps, context, { ...mutated, headers }, decision, req, res, grpc);
}

export function proxyHandler(deps: ProxyDeps): RequestHandler {
  return (context, req, res) => {
    const request = readDownstreamRequest(req, context.hcm, context.scheme, context.declaredPort);
    const grpc = isGrpc(request.headers);
    const routes = deps.config.route(String(context.hcm.rds?.route_config_name ?? ''));
    let decision: RouteDecision = { kind: 'no-route' };
    try {
      if (routes)
        decision = decideRoute(routes, { ...request, headers: matchHeaders(request), random: deps.random });
    } catch (err) {
      // Config the router could not evaluate (the support check should have refused it): fail the request loudly.
      return sendLocalReply(res, { status: 500, body: `envoy-double: ${String(err)}` }, grpc);
    }
    if (decision.kind === 'no-route') return sendLocalReply(res, { status: 404 }, grpc);
    // The RBAC filter runs before the router, with the selected route's policy.
    const rbacInChain = (context.hcm.http_filters ?? []).some((f) => f.name === RBAC_FILTER && !f.disabled);
    if (
      rbacInChain &&
      !rbacAllows(decision.perFilter, requestAddresses(context.hcm, context, request.headers))
    ) {
      req.resume();
      return sendLocalReply(res, { status: 403, body: 'RBAC: access denied' }, grpc);
    }
    const unauthenticated = enabledFilter(context, BASIC_AUTH_FILTER)
      ? basicAuthRefusal(decision.perFilter, request.headers)
      : undefined;
    if (unauthenticated !== undefined) {
      req.resume();
      return sendLocalReply(res, { status: 401, body: unauthenticated }, grpc);
    }
    if (decision.kind === 'forward') {
      return void authorizeAndForward(deps, context, request, decision, req, res, grpc).catch(
        (err: unknown) =>
          sendLocalReply(
            res,
            { status: 500, body: `envoy-double: ${err instanceof Error ? err.message : String(err)}` },
            grpc,
          ),
      );
    }
    const headers: HeaderMap = new Map();
    if (decision.kind === 'redirect') headers.set('location', [decision.location]);
    applyHeaderLevels(headers, decision.levels.response, decision.levels.mostSpecificWins);
    req.resume();
    const body = decision.kind === 'direct' ? decision.body : undefined;
    sendLocalReply(res, { status: decision.status, headers, ...(body ? { body } : {}) }, grpc);
  };
}
