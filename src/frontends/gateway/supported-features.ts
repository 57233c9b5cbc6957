// The one list of Gateway API conformance features kxds implements (names from the conformance suite's
// pkg/features), reported in GatewayClass `status.supportedFeatures`. Only what really works and is tested
// goes here: the listener side (Gateway, ReferenceGrant, listener isolation, port 8080) and, as they land,
// the route-rule features (HTTPRoute*, GRPCRoute, BackendTLSPolicy) from the route translation.
export const SUPPORTED_FEATURES: readonly string[] = [
  'Gateway',
  'GatewayHTTPListenerIsolation',
  'GatewayPort8080',
  'ReferenceGrant',
];

/** As the status wants them: `[{name}]`, sorted ascending (the API requires it). */
export function supportedFeaturesStatus(
  features: readonly string[] = SUPPORTED_FEATURES,
): { name: string }[] {
  return [...new Set(features)].sort().map((name) => ({ name }));
}
