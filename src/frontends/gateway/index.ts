// The Gateway API front-end's entry point (see contract.ts): listeners, attachment and statuses from
// translate-gateways.ts, route rules from the route-rule translation. Until that translation lands, rules
// translate to nothing (attached routes are reported; every listener answers 404).
import type { CompareRankedRoutes, TranslateGateways, TranslateRouteRules } from './contract';
import { gatewayTranslator } from './translate-gateways';

const noRules: TranslateRouteRules = () => ({ routes: [], clusters: [], endpoints: [], conditions: [] });
const noOrder: CompareRankedRoutes = () => 0;

export const translateGateways: TranslateGateways = gatewayTranslator({
  translate: noRules,
  compare: noOrder,
});
