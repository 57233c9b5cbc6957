// The Gateway API front-end's entry point (see contract.ts). Placeholder while the front-end is built:
// it serves no Gateway and reports nothing, so wiring (node groups, status writers) can land beside it.
import type { TranslateGateways } from './contract';

export const translateGateways: TranslateGateways = () => ({ gateways: [], statuses: [] });
