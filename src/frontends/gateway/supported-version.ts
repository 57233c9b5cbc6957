// GatewayClass SupportedVersion, from the bundle-version annotation of the Gateway API CRDs in the model
// (watched by name in cluster mode; CRD documents in --manifests). The spec: any Gateway API CRD without the
// annotation, or with a version the implementation does not support, makes the condition False
// (UnsupportedVersion); kxds then serves best effort (the class stays Accepted), as the spec allows.
// With no CRD to read (manifests without CRD documents) the version is not known: Unknown, saying so.
import { BUNDLE_VERSION_ANNOTATION, GATEWAY_API_GROUP } from '../../model/gateway-api';
import type { ModelView } from '../../model/store';
import { condition } from './conditions';
import type { ApiCondition } from './contract';

/** Bundle versions kxds is built for (v1.6.1 is the one verified; patch releases keep the API). */
const SUPPORTED_BUNDLE = /^v1\.6\.\d+$/;
const SUPPORTED_TEXT = 'v1.6.x';

/** The bundle version of each Gateway API CRD in the model, by CRD name (undefined: no annotation). */
export function crdBundleVersions(model: ModelView): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const crd of model.list('CustomResourceDefinition')) {
    if (crd.spec.group !== GATEWAY_API_GROUP) continue;
    out.set(crd.metadata.name, crd.metadata.annotations?.[BUNDLE_VERSION_ANNOTATION]);
  }
  return out;
}

export function supportedVersionCondition(
  versions: ReadonlyMap<string, string | undefined>,
  generation: number,
): ApiCondition {
  const make = (status: ApiCondition['status'], reason: string, message: string) =>
    condition('SupportedVersion', status, reason, message, generation);
  if (versions.size === 0) {
    // (Worded as before CRDs were read, so the many golden cases without CRDs keep their text; the docs
    // say how to make it known: CRD documents among the manifests.)
    return make(
      'Unknown',
      'UnknownVersion',
      `The installed Gateway API CRDs bundle version is not known to kxds; kxds implements ${SUPPORTED_TEXT}`,
    );
  }
  const names = [...versions.keys()].sort();
  const unannotated = names.filter((n) => versions.get(n) === undefined);
  const unsupported = names.filter((n) => {
    const version = versions.get(n);
    return version !== undefined && !SUPPORTED_BUNDLE.test(version);
  });
  const problems = [
    ...(unannotated.length > 0
      ? [`CRD ${unannotated.join(', ')} without the ${BUNDLE_VERSION_ANNOTATION} annotation`]
      : []),
    ...unsupported.map((n) => `CRD ${n} is ${versions.get(n)}`),
  ];
  if (problems.length > 0) {
    return make(
      'False',
      'UnsupportedVersion',
      `${problems.join('; ')}: kxds supports Gateway API ${SUPPORTED_TEXT} (served best effort)`,
    );
  }
  const found = [...new Set(names.map((n) => versions.get(n)))].sort().join(', ');
  return make('True', 'SupportedVersion', `Gateway API CRDs ${found} are supported`);
}
