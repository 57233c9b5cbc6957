// Checks the kxds.io/ and nginx.ingress.kubernetes.io/ annotations of one object against the catalog
// (annotation-catalog.ts): an unknown key is reported with the nearest known key ("did you mean"), a known
// one kxds does not implement is reported as ignored, a refused one (a snippet) as never interpreted, and
// an access-control key kxds does not implement is returned so the caller fails closed (403).
import type { KubeObject } from '../model/k8s';
import { KXDS_PREFIX, NGINX_PREFIX, type AnnotationValue } from './annotations';
import { ANNOTATION_CATALOG, FOREIGN_KXDS_KEYS, type AnnotatedKind } from './annotation-catalog';
import { report, type Statuses } from './findings';

export interface AnnotationCheck {
  /** Access-control annotations kxds does not implement: the object's routes must answer 403. */
  failsClosed: AnnotationValue[];
}

export function checkAnnotations(
  object: KubeObject,
  kind: AnnotatedKind,
  statuses: Statuses,
): AnnotationCheck {
  const failsClosed: AnnotationValue[] = [];
  const annotations = object.metadata.annotations ?? {};
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(KXDS_PREFIX) && !key.startsWith(NGINX_PREFIX)) continue;
    if (FOREIGN_KXDS_KEYS.has(key)) continue;
    const entry = ANNOTATION_CATALOG.get(key);
    if (!entry || !entry.kinds.includes(kind)) {
      const elsewhere = entry
        ? ` on ${article(kind)} (kxds reads it on ${entry.kinds.map(article).join(' or ')})`
        : '';
      const near = entry ? undefined : nearestKey(key, kind);
      report(
        statuses,
        object,
        'UnknownAnnotation',
        `annotation ${key} is not one kxds reads${elsewhere}; ignored${near ? ` (did you mean ${near}?)` : ''}`,
      );
      continue;
    }
    if (entry.support === 'implemented') continue;
    if (entry.support === 'fails-closed') {
      failsClosed.push({ annotation: key, value: annotations[key] ?? '' });
      report(
        statuses,
        object,
        'UnsupportedAccessControl',
        `annotation ${key}: ${entry.why}; the routes of this ${kind} answer 403 instead of serving without it`,
      );
    } else {
      const what = entry.support === 'refused' ? 'refused' : 'not implemented by kxds';
      const why = entry.why ? ` (${entry.why})` : '';
      report(statuses, object, 'UnsupportedAnnotation', `annotation ${key} is ${what}${why}; ignored`);
    }
  }
  return { failsClosed };
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** The known key for this kind closest to a misspelt one, if it is close enough to be a typo. */
function nearestKey(key: string, kind: AnnotatedKind): string | undefined {
  const name = key.slice(key.indexOf('/') + 1);
  let best: { key: string; distance: number } | undefined;
  for (const [candidate, entry] of ANNOTATION_CATALOG) {
    if (!entry.kinds.includes(kind)) continue;
    const candidateName = candidate.slice(candidate.indexOf('/') + 1);
    // The same name under the other prefix ("kxds.io/auth-url") is the likeliest meaning of all.
    const distance = editDistance(name, candidateName) + (sameDomain(key, candidate) ? 0 : 0.5);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  const allowed = Math.max(2, Math.floor(name.length / 4));
  return best && best.distance <= allowed + 0.5 ? best.key : undefined;
}

function sameDomain(a: string, b: string): boolean {
  return a.slice(0, a.indexOf('/')) === b.slice(0, b.indexOf('/'));
}

/** Levenshtein distance (insertions, deletions, substitutions), two rows at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
