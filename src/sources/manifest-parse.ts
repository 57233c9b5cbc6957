// Turns the text of one manifest file (YAML, multi-document, or JSON, optionally `kind: List`) into watched
// Kubernetes objects, checking the fields translation relies on so it can trust them. The checks follow what
// the API server would refuse; fields kxds does not read pass through untouched.
//
// Documents of kinds kxds does not read (Deployment, ConfigMap, CRDs, a Knative `Service`...) are skipped and
// counted, never a problem: real application repositories mix them with the Services and Ingresses kxds serves.
//
// Otherwise a file is all or nothing: one bad document rejects the whole file, and the manifest source keeps that file's
// last good objects. Applying the good half of a file that someone is in the middle of editing would surprise
// them (a Service without its EndpointSlice, an Ingress without its TLS Secret); `kubectl apply` users expect
// a file to describe one consistent state.
import { parseAllDocuments } from 'yaml';
import {
  acceptedApiVersions,
  API_VERSIONS,
  CLUSTER_SCOPED,
  WATCHED_KINDS,
  objectKey,
  type WatchedKind,
  type WatchedObject,
} from '../model/k8s';
import { isGatewayApiCrdName } from '../model/gateway-api';
import { KIND_CHECKS, checkMetadata, isRecord, show } from './manifest-fields';
import { expandsBeyond } from './yaml-expansion';
import type { ObjectRef } from '../ir/status';

/** A document may expand (aliases resolved) to at most this many characters: twice the largest file read. */
export const MAX_EXPANDED_CHARS = 16 * 1024 * 1024;

export interface ManifestProblem {
  /** "Kind ns/name" when known, else "Kind" or undefined. */
  object?: string;
  /** Where in the file: "document 2" or "document 1, item 3" (for a List). */
  location?: string;
  reason: string;
  /** The refused object and each thing wrong with it, when the object's own fields were at fault. */
  refused?: { ref: ObjectRef; findings: readonly string[] };
}

/** A document of a kind kxds does not read, left out of the objects. */
export interface SkippedDocument {
  /** "apps/v1 Deployment": what kubectl would call the type. */
  type: string;
  /** "Deployment shop/web" when it has a name. */
  object: string;
  location: string;
}

export type ManifestParseResult =
  | { ok: true; objects: WatchedObject[]; skipped: SkippedDocument[] }
  | { ok: false; problems: ManifestProblem[]; skipped: SkippedDocument[] };

/** One human-readable line: `file: Service default/web (document 2): spec.ports[0].port must be ...`. */
export function describeProblem(file: string, problem: ManifestProblem): string {
  const { object, location } = problem;
  const where = object && location ? `${object} (${location})` : (object ?? location);
  return where ? `${file}: ${where}: ${problem.reason}` : `${file}: ${problem.reason}`;
}

/** Parses a whole file. Empty documents (a trailing `---`, comments only) are skipped, as kubectl does. */
export function parseManifest(text: string): ManifestParseResult {
  const problems: ManifestProblem[] = [];
  const objects: WatchedObject[] = [];
  const skipped: SkippedDocument[] = [];
  const firstSeenAt = new Map<string, string>();
  // uniqueKeys (the default) makes a repeated key an error instead of silently keeping the last value.
  // merge: true accepts `<<:` merge keys, which kubectl's YAML reader accepts too.
  const docs = parseAllDocuments(text, { prettyErrors: true, merge: true });
  docs.forEach((doc, index) => {
    const location = `document ${index + 1}`;
    if (doc.errors.length > 0) {
      for (const err of doc.errors)
        problems.push({ location, reason: `invalid YAML: ${oneLine(err.message)}` });
      return;
    }
    let value: unknown;
    try {
      // The alias limit stops a "billion laughs" document from exhausting memory.
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problems.push({ location, reason: `invalid YAML: ${oneLine(errorMessage(err))}` });
      return;
    }
    if (value === null || value === undefined) return;
    if (expandsBeyond(value, MAX_EXPANDED_CHARS)) {
      problems.push({
        location,
        reason: `its aliases expand it beyond ${MAX_EXPANDED_CHARS / 1024 / 1024} MiB; refused`,
      });
      return;
    }
    for (const item of expandList(value, location, problems)) {
      const checked = checkObject(item.value);
      if (checked.ok === 'skip') {
        skipped.push({ type: checked.type, object: checked.object, location: item.location });
        continue;
      }
      if (!checked.ok) {
        // One problem per mistake, so a CI log lists each thing to fix on its own line; the typed refusal
        // (every finding of the object) rides on the first.
        checked.reasons.forEach((reason, i) =>
          problems.push({
            object: checked.object,
            location: item.location,
            reason,
            ...(i === 0 && checked.refused ? { refused: checked.refused } : {}),
          }),
        );
        continue;
      }
      const key = objectKey(checked.object);
      const earlier = firstSeenAt.get(key);
      if (earlier !== undefined) {
        problems.push({
          object: describeObject(checked.object),
          location: item.location,
          reason: `defined twice in this file (also in ${earlier})`,
        });
        continue;
      }
      firstSeenAt.set(key, item.location);
      objects.push(checked.object);
    }
  });
  return problems.length > 0 ? { ok: false, problems, skipped } : { ok: true, objects, skipped };
}

function expandList(
  value: unknown,
  location: string,
  problems: ManifestProblem[],
): { value: unknown; location: string }[] {
  if (!isRecord(value) || value.kind !== 'List') return [{ value, location }];
  if (value.apiVersion !== 'v1') {
    problems.push({
      object: 'List',
      location,
      reason: `apiVersion must be "v1" for kind List, got ${show(value.apiVersion)}`,
    });
    return [];
  }
  if (value.items === undefined || value.items === null) return [];
  if (!Array.isArray(value.items)) {
    problems.push({ object: 'List', location, reason: 'items must be a list' });
    return [];
  }
  return value.items.map((item: unknown, i: number) => ({
    value: item,
    location: `${location}, item ${i + 1}`,
  }));
}

type Checked =
  | { ok: true; object: WatchedObject }
  | { ok: 'skip'; type: string; object: string }
  | { ok: false; object?: string; reasons: string[]; refused?: ManifestProblem['refused'] };

/**
 * The API group of a kind kxds reads, or of an older version of it that the API server no longer serves
 * (extensions/v1beta1 Ingress): such a document is meant for kxds, so a wrong version is a mistake to report.
 * A kind of the same name in another group (Knative's serving.knative.dev Service) is someone else's.
 */
const LEGACY_GROUPS: Partial<Record<WatchedKind, string[]>> = { Ingress: ['extensions'] };

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function isReadByKxds(kind: string, apiVersion: string): kind is WatchedKind {
  if (!isWatchedKind(kind)) return false;
  const group = groupOf(apiVersion);
  return group === groupOf(API_VERSIONS[kind]) || (LEGACY_GROUPS[kind] ?? []).includes(group);
}

/** Validates one object and returns a normalized copy (namespace defaulted, Secret stringData folded in). */
function checkObject(value: unknown): Checked {
  if (!isRecord(value))
    return { ok: false, reasons: ['a manifest must be a mapping with apiVersion, kind and metadata'] };
  const { kind, apiVersion } = value;
  if (typeof kind !== 'string' || kind === '') return { ok: false, reasons: ['kind is missing'] };
  const metadata = isRecord(value.metadata) ? value.metadata : undefined;
  const rawName = metadata?.name;
  const label =
    metadata && typeof rawName === 'string' && rawName !== '' ? labelFor(kind, metadata, rawName) : kind;
  const fail = (...reasons: string[]): Checked => ({ ok: false, object: label, reasons });
  if (typeof apiVersion !== 'string' || apiVersion === '')
    return fail(`apiVersion is missing (kubectl would refuse the document too)`);
  // Of the CRDs, kxds reads only the Gateway API ones it serves (their bundle version).
  const otherCrd = kind === 'CustomResourceDefinition' && !isGatewayApiCrdName(rawName);
  if (!isReadByKxds(kind, apiVersion) || otherCrd)
    return { ok: 'skip', type: `${apiVersion} ${kind}`, object: label };
  const versions = acceptedApiVersions(kind);
  if (!versions.includes(apiVersion)) {
    const expected = versions.map((v) => `"${v}"`).join(' or ');
    return fail(`apiVersion must be ${expected} for kind ${kind}, got ${show(apiVersion)}`);
  }
  if (!metadata) return fail('metadata is missing');
  const errors: string[] = [];
  const meta = checkMetadata(kind, metadata, errors);
  const object = { ...value, metadata: meta } as Record<string, unknown>;
  if (errors.length === 0) KIND_CHECKS[kind](object, errors);
  if (errors.length > 0) {
    const group = groupOf(apiVersion);
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
    const ref: ObjectRef = { group, kind, ...(namespace ? { namespace } : {}), name: String(rawName ?? '') };
    return { ok: false, object: label, reasons: errors, refused: { ref, findings: errors } };
  }
  return { ok: true, object: object as unknown as WatchedObject };
}

function labelFor(kind: string, metadata: Record<string, unknown>, name: string): string {
  if (CLUSTER_SCOPED.has(kind as WatchedKind)) return `${kind} ${name}`;
  const ns =
    typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  return `${kind} ${ns}/${name}`;
}

function describeObject(obj: WatchedObject): string {
  return labelFor(obj.kind, obj.metadata as unknown as Record<string, unknown>, obj.metadata.name);
}

function isWatchedKind(kind: string): kind is WatchedKind {
  return (WATCHED_KINDS as readonly string[]).includes(kind);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function oneLine(message: string): string {
  // yaml's pretty errors end the first line with "at line L, column C:" before a code excerpt.
  return (message.split('\n')[0] ?? message).trim().replace(/:$/, '');
}
