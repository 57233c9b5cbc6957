#!/usr/bin/env node
// Extracts the CEL validation rules (x-kubernetes-validations) from Gateway API CRD YAML files into the format
// of src/sources/gateway-api-cel-rules.json: { kinds, path, rule, message } per rule, the path being the
// schema path with `[*]` for list items. The CRDs are the release's config/crd/standard/*.yaml (or
// experimental/) of kubernetes-sigs/gateway-api, or the standard-install.yaml bundle of a release.
//
//   node scripts/gateway-api-cel-rules.mjs CRD.yaml... > rules.json
//
// Transition rules (those reading oldSelf) are left out: a manifest has no previous version. Rules under
// additionalProperties are left out too (kxds's evaluator walks properties and list items only). Each kind's
// first served version is read; the Gateway API serves one schema for all versions of a kind.
// The committed src/sources/gateway-api-cel-rules.json is a subset chosen by hand (see the README): the full
// output also holds rules using Kubernetes CEL library functions (such as isIP) that @bufbuild/cel does not provide,
// which would refuse valid objects until those functions are provided.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** @returns {{ kinds: string[], path: string, rule: string, message: string }[]} */
export function extractCelRules(crds) {
  const out = [];
  for (const crd of crds) {
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const kind = crd.spec?.names?.kind;
    const version = (crd.spec?.versions ?? []).find((v) => v.served);
    const schema = version?.schema?.openAPIV3Schema;
    if (!kind || !schema) continue;
    walk(schema, '', (path, validation) => {
      if (validation.rule.includes('oldSelf')) return;
      out.push({
        kinds: [kind],
        path,
        rule: validation.rule,
        message: validation.message ?? `failed rule: ${validation.rule}`,
      });
    });
  }
  return out;
}

function walk(schema, path, visit) {
  for (const validation of schema['x-kubernetes-validations'] ?? []) visit(path, validation);
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    walk(child, path ? `${path}.${name}` : name, visit);
  if (schema.items) walk(schema.items, `${path}[*]`, visit);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node scripts/gateway-api-cel-rules.mjs CRD.yaml...');
    process.exit(2);
  }
  const docs = files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS()));
  const rules = extractCelRules(docs);
  process.stdout.write(
    `${JSON.stringify({ source: `extracted from ${files.join(', ')}`, rules }, null, 2)}\n`,
  );
}
