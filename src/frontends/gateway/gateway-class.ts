// GatewayClass: which classes kxds serves (controllerName kxds.io/gateway-controller) and their status:
// Accepted (or InvalidParameters), SupportedVersion from the installed CRDs' bundle version, and the
// supportedFeatures list. A class of another controller gets no status from kxds.
import type { GatewayApiObject } from '../../model/gateway-api';
import type { ModelView } from '../../model/store';
import type { GatewayClassSpec } from './api-types';
import { condition, generationOf } from './conditions';
import { GATEWAY_CONTROLLER_NAME, type ApiCondition, type GatewayApiStatus } from './contract';
import { parametersProblem } from './parameters';
import { supportedFeaturesStatus } from './supported-features';

/** Bundle versions (the CRDs' gateway.networking.k8s.io/bundle-version annotation) kxds is built for. */
const SUPPORTED_BUNDLE = /^v1\.6\.\d+$/;

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
export function ourClasses(model: ModelView, bundleVersion: string | undefined): Map<string, ClassVerdict> {
  const out = new Map<string, ClassVerdict>();
  for (const gatewayClass of model.list('GatewayClass')) {
    if (!isOurClass(gatewayClass)) continue;
    out.set(gatewayClass.metadata.name, classVerdict(model, gatewayClass, bundleVersion));
  }
  return out;
}

function classVerdict(
  model: ModelView,
  gatewayClass: GatewayApiObject<'GatewayClass'>,
  bundleVersion: string | undefined,
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
        conditions: [accepted, supportedVersion(bundleVersion, generation)],
        supportedFeatures: supportedFeaturesStatus(),
      },
    },
  };
}

/**
 * SupportedVersion: True for a v1.6.x bundle, False (UnsupportedVersion, best effort: the class stays
 * Accepted) for another, Unknown when kxds was not told the installed bundle version (manifests mode has no
 * CRDs to read it from).
 */
function supportedVersion(bundleVersion: string | undefined, generation: number): ApiCondition {
  if (bundleVersion === undefined) {
    return condition(
      'SupportedVersion',
      'Unknown',
      'UnknownVersion',
      'The installed Gateway API CRDs bundle version is not known to kxds; kxds implements v1.6.x',
      generation,
    );
  }
  if (SUPPORTED_BUNDLE.test(bundleVersion)) {
    return condition(
      'SupportedVersion',
      'True',
      'SupportedVersion',
      `Gateway API ${bundleVersion}`,
      generation,
    );
  }
  return condition(
    'SupportedVersion',
    'False',
    'UnsupportedVersion',
    `Installed Gateway API CRDs are ${bundleVersion}; kxds supports v1.6.x (served best effort)`,
    generation,
  );
}
