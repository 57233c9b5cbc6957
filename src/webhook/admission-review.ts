// AdmissionReview v1 (admission.k8s.io/v1): validating what the API server sent and building the answer.
// Validation returns field paths, never throws, so a malformed review becomes a 400 with the reason.

export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  resource?: { group?: string; version?: string; resource?: string };
  subResource?: string;
  namespace?: string;
  name?: string;
  operation?: string;
  dryRun?: boolean;
  object?: unknown;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  patchType?: 'JSONPatch';
  /** base64 of the JSON Patch document. */
  patch?: string;
  status?: { code: number; reason?: string; message: string };
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

export type ParsedAdmissionReview =
  | { valid: true; value: AdmissionReview & { request: AdmissionRequest } }
  | { valid: false; errors: string[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseAdmissionReview(body: unknown): ParsedAdmissionReview {
  if (!isObject(body)) return { valid: false, errors: ['body: expected a JSON object'] };
  const errors: string[] = [];
  if (body.apiVersion !== 'admission.k8s.io/v1') {
    errors.push(`apiVersion: expected "admission.k8s.io/v1", got ${JSON.stringify(body.apiVersion)}`);
  }
  if (body.kind !== 'AdmissionReview') {
    errors.push(`kind: expected "AdmissionReview", got ${JSON.stringify(body.kind)}`);
  }
  const request = body.request;
  if (!isObject(request)) {
    errors.push('request: expected an object');
  } else {
    if (typeof request.uid !== 'string' || request.uid === '')
      errors.push('request.uid: expected a non-empty string');
    if (request.namespace !== undefined && typeof request.namespace !== 'string') {
      errors.push('request.namespace: expected a string');
    }
    if (request.object !== undefined && request.object !== null && !isObject(request.object)) {
      errors.push('request.object: expected an object');
    }
    for (const key of ['kind', 'resource'] as const) {
      if (request[key] !== undefined && !isObject(request[key]))
        errors.push(`request.${key}: expected an object`);
    }
  }
  if (errors.length > 0) return { valid: false, errors };
  return { valid: true, value: body as unknown as AdmissionReview & { request: AdmissionRequest } };
}

export function reviewResponse(response: AdmissionResponse): AdmissionReview {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
