// `kxds validate` without the CLI: read a manifest directory once, translate it as `kxds serve` would, and
// collect what is wrong. Broken files and Envoy resources that fail Envoy's own rules are errors; problems
// with objects that translation works around (it answers 503, skips an endpoint...) are warnings.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { modelFrom } from './model/store';
import { objectKey, objectRef, type WatchedObject } from './model/k8s';
import { describeProblem, parseManifest } from './sources/manifest-parse';
import { walkManifestDir } from './sources/manifest-walk';
import { findingsOf, formatObjectRef, mergeStatuses, type ObjectStatus } from './ir/status';
import { refusedObjectStatuses } from './sources/manifest-problem-status';
import { translate, type TranslateOptions } from './translate/translate';
import { checkEnvoyResource } from './xds/check-resource';
import { MESSAGE_NAME, type ResourceKind } from './xds/types';

export interface ValidationReport {
  files: number;
  objects: number;
  /** One line each: a broken file, a duplicate object, or an Envoy resource Envoy would reject. */
  errors: string[];
  /** One line each: "Kind ns/name: message (Reason)". */
  warnings: string[];
  /** The same findings, typed: one entry per object with its conditions (for CI tools reading --output json). */
  statuses: ObjectStatus[];
  /** Resources generated, per node group and type. */
  resources: Record<string, Partial<Record<ResourceKind, number>>>;
}

export async function validateManifests(
  dir: string,
  options: TranslateOptions = {},
): Promise<ValidationReport> {
  const errors: string[] = [];
  const walk = await walkManifestDir(dir);
  if (!walk.rootReadable) throw new Error(`cannot read ${dir}: ${walk.rootError ?? 'unknown error'}`);
  for (const d of walk.unreadableDirs) errors.push(`${path.join(dir, d.rel)}: cannot list: ${d.reason}`);

  const objects = new Map<string, { object: WatchedObject; file: string }>();
  const refused: ObjectStatus[] = [];
  for (const file of [...walk.files].sort((a, b) => a.rel.localeCompare(b.rel))) {
    const shown = path.join(dir, file.rel);
    let text: string;
    try {
      text = await fs.readFile(file.abs, 'utf8');
    } catch (err) {
      errors.push(`${shown}: cannot read: ${(err as Error).message}`);
      continue;
    }
    const parsed = parseManifest(text);
    if (!parsed.ok) {
      for (const problem of parsed.problems) errors.push(describeProblem(shown, problem));
      refused.push(...refusedObjectStatuses(parsed.problems));
      continue;
    }
    for (const object of parsed.objects) {
      const key = objectKey(object);
      const earlier = objects.get(key);
      if (earlier) errors.push(`${shown}: ${objectRef(object)}: also defined in ${earlier.file}`);
      else objects.set(key, { object, file: shown });
    }
  }

  const result = translate(modelFrom([...objects.values()].map((o) => o.object)), options);
  const resources: ValidationReport['resources'] = {};
  const seen = new Set<string>();
  for (const [group, set] of [...result.groups].sort(([a], [b]) => a.localeCompare(b))) {
    const counts: Partial<Record<ResourceKind, number>> = {};
    for (const kind of Object.keys(set) as ResourceKind[]) {
      counts[kind] = set[kind].size;
      for (const [name, value] of set[kind]) {
        for (const problem of checkEnvoyResource(MESSAGE_NAME[kind], value as object)) {
          // The same resource often appears in several groups; report each problem once.
          const line = `${kind} "${name}": ${problem}`;
          if (!seen.has(line)) errors.push(`${line} (group ${group})`);
          seen.add(line);
        }
      }
    }
    resources[group] = counts;
  }
  return {
    files: walk.files.length,
    objects: objects.size,
    errors,
    warnings: findingsOf(result.statuses).map(
      (f) => `${formatObjectRef(f.ref)}: ${f.condition.message} (${f.condition.reason})`,
    ),
    statuses: mergeStatuses([...refused, ...result.statuses]),
    resources,
  };
}
