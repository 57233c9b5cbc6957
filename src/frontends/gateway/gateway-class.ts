// GatewayClass: which classes kxds serves (controllerName kxds.io/gateway-controller) and their status:
// Accepted (or InvalidParameters), SupportedVersion from the installed CRDs' bundle version (see
// supported-version.ts), and the supportedFeatures list. A class of another controller gets no status.
import type { GatewayApiObject } from '../../model/gateway-api';
import type { ModelView } from '../../model/store';
import type { GatewayClassSpec } from './api-types';
import { condition, generationOf } from './conditions';
import { GATEWAY_CONTROLLER_NAME, type GatewayApiStatus } from './contract';
import { parametersProblem } from './parameters';
import { supportedFeaturesStatus } from './supported-features';
import { crdBundleVersions, supportedVersionCondition } from './supported-version';

export interface ClassVerdict {
  class: GatewayApiObject<'GatewayClass'>;
  accepted: boolean;
  /** Why the class is not accepted (for the Gateways of the class). */
  problem?: string;
  status: GatewayApiStatus;
}

export function isOurClass(gatewayClass: GatewayApiObject<'GatewayClass'>): boolean {
  return (gatewayClass.spec as Partial<GatewayClassSpec>).controllerName === GATEWAY_CONTROLLER_NAME;
}

/** Every GatewayClass kxds serves, with its status, by name. */
export function ourClasses(model: ModelView): Map<string, ClassVerdict> {
  const out = new Map<string, ClassVerdict>();
  const bundleVersions = crdBundleVersions(model);
  for (const gatewayClass of model.list('GatewayClass')) {
    if (!isOurClass(gatewayClass)) continue;
    out.set(gatewayClass.metadata.name, classVerdict(model, gatewayClass, bundleVersions));
  }
  return out;
}

function classVerdict(
  model: ModelView,
  gatewayClass: GatewayApiObject<'GatewayClass'>,
  bundleVersions: ReadonlyMap<string, string | undefined>,
): ClassVerdict {
  const generation = generationOf(gatewayClass);
  const spec = gatewayClass.spec as Partial<GatewayClassSpec>;
  const problem = parametersProblem(model, spec.parametersRef);
  const accepted = problem
    ? condition('Accepted', 'False', 'InvalidParameters', problem, generation)
    : condition('Accepted', 'True', 'Accepted', `Served by ${GATEWAY_CONTROLLER_NAME}`, generation);
  return {
    class: gatewayClass,
    accepted: problem === undefined,
    ...(problem ? { problem } : {}),
    status: {
      kind: 'GatewayClass',
      name: gatewayClass.metadata.name,
      generation,
      status: {
        conditions: [accepted, supportedVersionCondition(bundleVersions, generation)],
        supportedFeatures: supportedFeaturesStatus(),
      },
    },
  };
}
