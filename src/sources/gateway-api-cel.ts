// The CRDs' CEL validation rules (x-kubernetes-validations), evaluated the way the API server does: each rule
// runs with `self` bound to the value at its schema path, and only where that value is present, after the
// schema defaults are applied (rules read defaulted fields: an HTTPRoute path match's type). Rules, messages
// and defaults come verbatim from gateway-api-cel-rules.json, so a refusal reads as `kubectl apply` prints it.
import { isCelError, run, type CelInput } from '@bufbuild/cel';
import type { GatewayApiKind } from '../model/gateway-api';
import celRules from './gateway-api-cel-rules.json';

interface CelRule {
  kinds: readonly string[];
  /** Dotted schema path; `[*]` steps into every item of a list. */
  path: string;
  rule: string;
  message: string;
}

/** A schema default: `value` is set at `path` where the parent is present and the field is not. */
interface CrdDefault {
  kinds: readonly string[];
  path: string;
  value: unknown;
}

const RULES: readonly CelRule[] = celRules.rules;
/** Parents before children (a defaulted list's items get their own defaults next), as in the file. */
const DEFAULTS: readonly CrdDefault[] = celRules.defaults;

// Kubernetes escapes property names that are CEL reserved words (`namespace` -> `__namespace__`).
const CEL_RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** JSON as CEL sees a Kubernetes object: maps, integer numbers as CEL ints, reserved keys escaped. */
function toCel(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCel);
  if (value === undefined) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'object' && value !== null) {
    return new Map(
      Object.entries(value).map(([k, v]) => [CEL_RESERVED.has(k) ? `__${k}__` : k, toCel(v)] as const),
    );
  }
  return value as CelInput;
}

/** Every value at a schema path, with the concrete field path that names it (`spec.rules[1].filters`). */
function valuesAt(root: unknown, path: string): { at: string; value: unknown }[] {
  if (path === '') return [{ at: '', value: root }];
  let found: { at: string; value: unknown }[] = [{ at: '', value: root }];
  for (const step of path.split('.')) {
    const each = step.endsWith('[*]');
    const key = each ? step.slice(0, -3) : step;
    found = found.flatMap(({ at, value }) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined || child === null) return [];
      const childAt = at ? `${at}.${key}` : key;
      if (!each) return [{ at: childAt, value: child }];
      return Array.isArray(child) ? child.map((item, i) => ({ at: `${childAt}[${i}]`, value: item })) : [];
    });
  }
  return found;
}

/** Applies the kind's schema defaults in place, as the API server does before validating and storing. */
export function applyCrdDefaults(kind: GatewayApiKind, object: Record<string, unknown>): void {
  for (const d of DEFAULTS) {
    if (!d.kinds.includes(kind)) continue;
    const dot = d.path.lastIndexOf('.');
    const key = d.path.slice(dot + 1);
    for (const { value: parent } of valuesAt(object, dot < 0 ? '' : d.path.slice(0, dot))) {
      if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) continue;
      const fields = parent as Record<string, unknown>;
      if (fields[key] === undefined || fields[key] === null) fields[key] = structuredClone(d.value);
    }
  }
}

/** Pushes `field: message` for every rule of the kind that the object breaks. */
export function checkCelRules(kind: GatewayApiKind, object: Record<string, unknown>, errors: string[]): void {
  for (const rule of RULES) {
    if (!rule.kinds.includes(kind)) continue;
    for (const { at, value } of valuesAt(object, rule.path)) {
      let verdict: unknown;
      try {
        verdict = run(rule.rule, { self: toCel(value) });
      } catch (err) {
        verdict = err;
      }
      if (verdict === true) continue;
      // A rule that cannot be evaluated (a field of the wrong type) fails, as in the API server.
      const why =
        isCelError(verdict) || verdict instanceof Error
          ? ` (the rule could not be evaluated: ${verdict.message})`
          : '';
      errors.push(`${at ? `${at}: ` : ''}${rule.message}${why}`);
    }
  }
}
