// The Gateway API conformance features (names from the suite's pkg/features) the L4 routes implement, each
// proven on the wire by test/e2e/gateway-double-l4.test.ts through the Envoy double: TLSRoute passthrough,
// TLSRoute on a Terminate listener, both modes on one port (TLSRouteModeMixed), TCPRoute and UDPRoute.
export const L4_ROUTE_FEATURES: readonly string[] = [
  'TCPRoute',
  'TLSRoute',
  'TLSRouteModeMixed',
  'TLSRouteModeTerminate',
  'UDPRoute',
];
