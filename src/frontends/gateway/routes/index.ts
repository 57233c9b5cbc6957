// Route rules of the Gateway API front-end: HTTPRoute and GRPCRoute rules -> ranked IR routes with their
// clusters and conditions, the precedence between them, and BackendTLSPolicy statuses.
export { translateRouteRules } from './translate-rules';
export { compareRankedRoutes } from './precedence';
export { backendTlsPolicyStatuses } from './backend-tls-status';
export { ROUTE_RULE_FEATURES } from './features';
