// The one list of Gateway API conformance features kxds implements (names from the conformance suite's
// pkg/features), reported in GatewayClass `status.supportedFeatures`. Only what really works and is tested
// goes here: the listener side's below, the route rules' (routes/features.ts) and the L4 routes'
// (l4/features.ts), each proven end to end.
import { L4_ROUTE_FEATURES } from './l4/features';
import { ROUTE_RULE_FEATURES } from './routes';

/** The listener side's: Gateways, listener isolation, port 8080, ReferenceGrant. */
const LISTENER_FEATURES: readonly string[] = [
  'Gateway',
  'GatewayHTTPListenerIsolation',
  'GatewayPort8080',
  'ReferenceGrant',
];

export const SUPPORTED_FEATURES: readonly string[] = [
  ...LISTENER_FEATURES,
  ...ROUTE_RULE_FEATURES,
  ...L4_ROUTE_FEATURES,
];

/** As the status wants them: `[{name}]`, sorted ascending (the API requires it). */
export function supportedFeaturesStatus(
  features: readonly string[] = SUPPORTED_FEATURES,
): { name: string }[] {
  return [...new Set(features)].sort().map((name) => ({ name }));
}
