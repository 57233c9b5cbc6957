// GatewayClass `spec.parametersRef` and Gateway `spec.infrastructure.parametersRef`: the only parameters
// kind kxds reads is a core ConfigMap (the provisioner's settings). Anything else, or a ConfigMap that is
// not there, makes the class (or Gateway) not Accepted with InvalidParameters: kxds never guesses settings.
import type { ModelView } from '../../model/store';

export interface ParametersRef {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/** The problem with a parametersRef, or undefined when kxds can use it (or there is none). */
export function parametersProblem(
  model: ModelView,
  ref: ParametersRef | undefined,
  defaultNamespace?: string,
): string | undefined {
  if (!ref) return undefined;
  const group = ref.group ?? '';
  if (group !== '' || ref.kind !== 'ConfigMap') {
    return `parametersRef to ${ref.kind ?? '?'}${group ? `.${group}` : ''} is not supported: kxds takes a core ConfigMap`;
  }
  const namespace = ref.namespace ?? defaultNamespace;
  if (!namespace) return `parametersRef to ConfigMap ${ref.name ?? ''} needs a namespace`;
  if (!ref.name || !model.get('ConfigMap', namespace, ref.name)) {
    return `parametersRef: ConfigMap ${namespace}/${ref.name ?? ''} not found`;
  }
  return undefined;
}
