// The double's HTTP handling for one request on one filter chain: read it as the connection manager
// does, find the chain's route configuration (RDS), let the router decide, and answer: a local reply
// (404 without a route, direct responses, redirects) or the forwarded upstream response.
import type { ConfigStore } from './config-store';
import type { RequestHandler } from './downstream';
import { matchHeaders, readDownstreamRequest } from './downstream-request';
import type { RoundRobin } from './endpoints';
import { forward } from './forward';
import { applyHeaderLevels, type HeaderMap } from './header-ops';
import { isGrpc, sendLocalReply } from './local-reply';
import { decideRoute, type RouteDecision } from './route-decision';
import type { UpstreamPool } from './upstream-pool';

export interface ProxyDeps {
  config: ConfigStore;
  pool: UpstreamPool;
  roundRobin: RoundRobin;
  random: () => number;
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
    if (decision.kind === 'forward') {
      return void forward(deps, context, request, decision, req, res, grpc).catch((err: unknown) =>
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
