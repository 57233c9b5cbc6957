// `kxds validate` without the CLI: translate manifest texts once, as `kxds serve` would, and collect what is
// wrong, one finding per mistake. Broken files, duplicate objects and Envoy resources that fail Envoy's own
// rules are errors; problems with objects that translation works around (it answers 503, skips an
// endpoint...) are warnings. Documents of kinds kxds does not read are counted, never a finding.
import { modelFrom } from '../model/store';
import { objectKey, objectRef, type WatchedObject } from '../model/k8s';
import { describeProblem, parseManifest } from '../sources/manifest-parse';
import { findingsOf, formatObjectRef, mergeStatuses, type ObjectStatus } from '../ir/status';
import { refusedObjectStatuses } from '../sources/manifest-problem-status';
import { translate, type TranslateOptions } from '../translate/translate';
import { checkEnvoyResource } from '../xds/check-resource';
import { MESSAGE_NAME, type ResourceKind } from '../xds/types';
import type { ReadInputs } from './inputs';
import type { GatewayApiStatus, TranslateGateways } from '../frontends/gateway/contract';
import { translateGateways } from '../frontends/gateway/index';

/** One mistake. `--output json` prints these as they are; the text output prints formatFinding() of each. */
export interface ValidationFinding {
  severity: 'error' | 'warning';
  /** The file (or "<stdin>"); absent for a generated Envoy resource. */
  file?: string;
  /** "Service shop/web", or for an Envoy resource `cluster "shop/web:80"`. */
  object?: string;
  /** "document 2" or "document 1, item 3". */
  location?: string;
  /** A condition reason for warnings (InvalidAnnotation...), as in the statuses. */
  reason?: string;
  message: string;
}

export interface ValidationReport {
  files: number;
  objects: number;
  /** Documents of kinds kxds does not read, per "apiVersion Kind". */
  skipped: { total: number; byType: Record<string, number> };
  errors: number;
  warnings: number;
  findings: ValidationFinding[];
  /**
   * Typed, one entry per object with its conditions (the shape /debug/warnings serves): the warnings, and
   * objects refused by their field, schema or CEL checks (Accepted=False, reason Invalid).
   */
  statuses: ObjectStatus[];
  /** Resources generated, per node group and type. */
  resources: Record<string, Partial<Record<ResourceKind, number>>>;
  /**
   * Gateway API statuses as `kxds serve` would write them (and serves at /debug/gateway-status), without
   * lastTransitionTime: a report says what the status is, not since when.
   */
  gatewayStatuses: GatewayApiStatus[];
}

export function validateTexts(
  inputs: ReadInputs,
  options: TranslateOptions = {},
  gateways: TranslateGateways = translateGateways,
): ValidationReport {
  const findings: ValidationFinding[] = inputs.unreadable.map(({ file, reason }) => ({
    severity: 'error',
    file,
    message: reason,
  }));
  const byType: Record<string, number> = {};
  let skippedTotal = 0;
  const objects = new Map<string, { object: WatchedObject; file: string }>();
  const refused: ObjectStatus[] = [];
  for (const { shown, text } of inputs.texts) {
    const parsed = parseManifest(text);
    for (const doc of parsed.skipped) byType[doc.type] = (byType[doc.type] ?? 0) + 1;
    skippedTotal += parsed.skipped.length;
    if (!parsed.ok) {
      refused.push(...refusedObjectStatuses(parsed.problems));
      for (const { object, location, reason } of parsed.problems)
        findings.push({ severity: 'error', file: shown, object, location, message: reason });
      continue;
    }
    for (const object of parsed.objects) {
      const key = objectKey(object);
      const earlier = objects.get(key);
      if (earlier)
        findings.push({
          severity: 'error',
          file: shown,
          object: objectRef(object),
          message: `also defined in ${earlier.file}`,
        });
      else objects.set(key, { object, file: shown });
    }
  }

  const result = translate(modelFrom([...objects.values()].map((o) => o.object)), options, gateways);
  const resources: ValidationReport['resources'] = {};
  const seen = new Set<string>();
  for (const [group, set] of [...result.groups].sort(([a], [b]) => a.localeCompare(b))) {
    const counts: Partial<Record<ResourceKind, number>> = {};
    for (const kind of Object.keys(set) as ResourceKind[]) {
      counts[kind] = set[kind].size;
      for (const [name, value] of set[kind]) {
        for (const problem of checkEnvoyResource(MESSAGE_NAME[kind], value as object)) {
          // The same resource often appears in several groups; report each problem once.
          const object = `${kind} "${name}"`;
          if (seen.has(`${object}: ${problem}`)) continue;
          seen.add(`${object}: ${problem}`);
          findings.push({ severity: 'error', object, message: `${problem} (group ${group})` });
        }
      }
    }
    resources[group] = counts;
  }
  for (const f of findingsOf(result.statuses))
    findings.push({
      severity: 'warning',
      object: formatObjectRef(f.ref),
      reason: f.condition.reason,
      message: f.condition.message,
    });
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    files: inputs.texts.length,
    objects: objects.size,
    skipped: { total: skippedTotal, byType },
    errors,
    warnings: findings.length - errors,
    findings,
    statuses: mergeStatuses([...refused, ...result.statuses]),
    resources,
    gatewayStatuses: result.gatewayStatuses,
  };
}

/** One line: `error: web.yaml: Service shop/web (document 2): spec.ports[0].port must be ...`. */
export function formatFinding(f: ValidationFinding): string {
  const message = f.reason ? `${f.message} (${f.reason})` : f.message;
  const problem = { object: f.object, location: f.location, reason: message };
  const line = f.file ? describeProblem(f.file, problem) : f.object ? `${f.object}: ${message}` : message;
  return `${f.severity}: ${line}`;
}
