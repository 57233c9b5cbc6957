// The Gateway API front-end's entry point (see contract.ts): listeners, attachment and statuses from
// translate-gateways.ts, route rules and BackendTLSPolicy statuses from routes/.
import type { TranslateGateways } from './contract';
import { backendTlsPolicyStatuses, compareRankedRoutes, translateRouteRules } from './routes';
import { gatewayTranslator } from './translate-gateways';

export const translateGateways: TranslateGateways = gatewayTranslator({
  translate: translateRouteRules,
  compare: compareRankedRoutes,
  policyStatuses: backendTlsPolicyStatuses,
});
