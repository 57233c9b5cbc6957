// The Gateway API conformance features (names from the suite's pkg/features) the route-rule translation
// implements and proves end to end (test/e2e/gateway-conformance-*.test.ts, through the Envoy double), for
// GatewayClass status.supportedFeatures. Left out although translated: HTTPRouteCORS and
// HTTPRouteBackendProtocolWebSocket, whose Envoy output is checked by goldens only (the double runs no CORS
// filter and proxies no upgrades), so nothing here has shown them working on the wire.
export const ROUTE_RULE_FEATURES: readonly string[] = [
  'BackendTLSPolicy',
  'BackendTLSPolicySANValidation',
  'GRPCRoute',
  'HTTPRoute',
  'HTTPRoute303RedirectStatusCode',
  'HTTPRoute307RedirectStatusCode',
  'HTTPRoute308RedirectStatusCode',
  'HTTPRouteBackendProtocolH2C',
  'HTTPRouteBackendRequestHeaderModification',
  'HTTPRouteBackendTimeout',
  'HTTPRouteHostRewrite',
  'HTTPRouteMethodMatching',
  'HTTPRouteNamedRouteRule',
  'HTTPRoutePathRedirect',
  'HTTPRoutePathRewrite',
  'HTTPRoutePortRedirect',
  'HTTPRouteQueryParamMatching',
  'HTTPRouteRequestMirror',
  'HTTPRouteRequestMultipleMirrors',
  'HTTPRouteRequestPercentageMirror',
  'HTTPRouteRequestTimeout',
  'HTTPRouteResponseHeaderModification',
  'HTTPRouteSchemeRedirect',
];
