// Turns the text of one manifest file (YAML, multi-document, or JSON, optionally `kind: List`) into watched
// Kubernetes objects, checking the fields translation relies on so it can trust them. The checks follow what
// the API server would refuse; fields kxds does not read pass through untouched.
//
// A file is all or nothing: one bad document rejects the whole file, and the manifest source keeps that file's
// last good objects. Applying the good half of a file that someone is in the middle of editing would surprise
// them (a Service without its EndpointSlice, an Ingress without its TLS Secret); `kubectl apply` users expect
// a file to describe one consistent state.
import { parseAllDocuments } from 'yaml';
import {
  acceptedApiVersions,
  CLUSTER_SCOPED,
  WATCHED_KINDS,
  objectKey,
  type WatchedKind,
  type WatchedObject,
} from '../model/k8s';
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

export type ManifestParseResult =
  { ok: true; objects: WatchedObject[] } | { ok: false; problems: ManifestProblem[] };

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
      if (!checked.ok) {
        const { object, reason, refused } = checked;
        problems.push({ object, location: item.location, reason, ...(refused ? { refused } : {}) });
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
  return problems.length > 0 ? { ok: false, problems } : { ok: true, objects };
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
  | { ok: false; object?: string; reason: string; refused?: ManifestProblem['refused'] };

/** Validates one object and returns a normalized copy (namespace defaulted, Secret stringData folded in). */
function checkObject(value: unknown): Checked {
  if (!isRecord(value))
    return { ok: false, reason: 'a manifest must be a mapping with apiVersion, kind and metadata' };
  const { kind, apiVersion } = value;
  if (typeof kind !== 'string' || kind === '') return { ok: false, reason: 'kind is missing' };
  const metadata = isRecord(value.metadata) ? value.metadata : undefined;
  const rawName = metadata?.name;
  const label =
    metadata && typeof rawName === 'string' && rawName !== '' ? labelFor(kind, metadata, rawName) : kind;
  if (!isWatchedKind(kind)) {
    return {
      ok: false,
      object: label,
      reason: `unknown kind "${kind}" (kxds reads ${WATCHED_KINDS.join(', ')})`,
    };
  }
  const fail = (reason: string): Checked => ({ ok: false, object: label, reason });
  const versions = acceptedApiVersions(kind);
  if (typeof apiVersion !== 'string' || !versions.includes(apiVersion)) {
    const expected = versions.map((v) => `"${v}"`).join(' or ');
    return fail(`apiVersion must be ${expected} for kind ${kind}, got ${show(apiVersion)}`);
  }
  if (!metadata) return fail('metadata is missing');
  const errors: string[] = [];
  const meta = checkMetadata(kind, metadata, errors);
  const object = { ...value, metadata: meta } as Record<string, unknown>;
  if (errors.length === 0) KIND_CHECKS[kind](object, errors);
  if (errors.length > 0) {
    const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
    const ref: ObjectRef = { group, kind, ...(namespace ? { namespace } : {}), name: String(rawName ?? '') };
    return { ok: false, object: label, reason: errors.join('; '), refused: { ref, findings: errors } };
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
