// Answers one AdmissionReview for a Pod: runs injection and turns the difference between the injected and
// the original pod into a JSON Patch. Diffing (fast-json-patch `compare`) rather than hand-written
// operations gets the escaping of "/" and "~" in keys and the creation of missing maps and lists right.
import { compare } from 'fast-json-patch';
import type { Logger } from '../log';
import type { AdmissionRequest, AdmissionResponse } from './admission-review';
import { injectSidecar } from './inject';
import { podRef, type InjectablePod } from './pod';
import type { InjectionSettings } from './settings';

export interface AdmissionHandlerOptions {
  settings: InjectionSettings;
  /**
   * Labels of a namespace as kxds last saw them: {} for a namespace without labels, undefined when the
   * namespace is unknown (not synced yet), which is logged and treated as no labels.
   */
  namespaceLabels: (namespace: string) => Record<string, string> | undefined;
  logger: Logger;
}

export function isPodCreate(request: AdmissionRequest): boolean {
  const isPod =
    request.kind?.kind === 'Pod' || (request.resource?.resource === 'pods' && !request.resource?.group);
  return isPod && !request.subResource && (request.operation === undefined || request.operation === 'CREATE');
}

export function handleAdmission(
  request: AdmissionRequest,
  options: AdmissionHandlerOptions,
): AdmissionResponse {
  const { uid } = request;
  if (!isPodCreate(request) || typeof request.object !== 'object' || request.object === null) {
    return { uid, allowed: true };
  }
  const pod = request.object as InjectablePod;
  const namespace = request.namespace || pod.metadata?.namespace || 'default';
  const object = podRef(pod, namespace);
  const labels = options.namespaceLabels(namespace);
  if (labels === undefined) {
    // Only the pod's own label can enable injection then; the namespace watch has not seen this one yet.
    options.logger.warn({ object, namespace }, 'namespace labels unknown; deciding on the pod labels alone');
  }
  const result = injectSidecar(pod, { name: namespace, labels }, options.settings);
  switch (result.action) {
    case 'skip':
      options.logger.debug({ object, reason: result.reason }, 'sidecar injection skipped');
      return { uid, allowed: true };
    case 'refuse':
      options.logger.warn({ object, reason: result.reason }, 'pod refused');
      return { uid, allowed: false, status: { code: 422, reason: 'Invalid', message: result.reason } };
    case 'inject': {
      const patch = compare(pod, result.pod);
      options.logger.info({ object, status: result.status, operations: patch.length }, 'sidecar injected');
      const response: AdmissionResponse = {
        uid,
        allowed: true,
        patchType: 'JSONPatch',
        patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
      };
      if (result.warnings.length > 0) response.warnings = result.warnings;
      return response;
    }
  }
}
