// One golden case: Kubernetes objects (multi-document YAML) -> the edge ResourceSet as readable YAML.
// Resources are shown the way Envoy receives them (encoded, then decoded, nested Anys with "@type"); TLS
// Secrets are shown without key material and with a fingerprint instead of the certificate bytes.
import { createHash, X509Certificate } from 'node:crypto';
import { parseAllDocuments, stringify } from 'yaml';
import { ModelStore } from '../../src/model/store';
import { WATCHED_KINDS, type WatchedObject } from '../../src/model/k8s';
import { translate, GROUP_EDGE, type TranslateOptions } from '../../src/translate/translate';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { MESSAGE_NAME, type ResourceKind, type ResourceSet, type Secret } from '../../src/xds/types';
import { checkResources } from './check-resources';

/** A document of this kind in a case carries translate options instead of a Kubernetes object. */
export const OPTIONS_KIND = 'GoldenOptions';

export interface GoldenInput {
  objects: WatchedObject[];
  options: TranslateOptions;
}

export function parseCase(text: string): GoldenInput {
  const objects: WatchedObject[] = [];
  let options: TranslateOptions = {};
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
    const value = doc.toJS() as { kind?: string; options?: TranslateOptions } | null;
    if (!value) continue;
    if (value.kind === OPTIONS_KIND) options = value.options ?? {};
    else if (WATCHED_KINDS.includes(value.kind as WatchedObject['kind'])) objects.push(value as WatchedObject);
    else throw new Error(`unexpected document kind ${String(value.kind)}`);
  }
  return { objects, options };
}

export interface GoldenOutput {
  /** The YAML written to <case>.out.yaml. */
  text: string;
  /** Problems checkEnvoyResource found in emitted resources (must be empty). */
  problems: string[];
}

const SECTIONS: readonly [string, ResourceKind][] = [
  ['listeners', 'listener'],
  ['routes', 'route'],
  ['clusters', 'cluster'],
  ['endpoints', 'endpoint'],
];

export function runCase(input: GoldenInput): GoldenOutput {
  const model = new ModelStore();
  for (const obj of input.objects) model.upsert(obj);
  const result = translate(model, input.options);
  const edge = result.groups.get(GROUP_EDGE) as ResourceSet;
  const out: Record<string, unknown> = {
    servedIngresses: result.servedIngresses,
    statuses: result.statuses,
  };
  for (const [section, kind] of SECTIONS) {
    out[section] = [...edge[kind].keys()]
      .sort()
      .map((name) => decodeMessage(MESSAGE_NAME[kind], encodeMessage(MESSAGE_NAME[kind], edge[kind].get(name))));
  }
  out.secrets = [...edge.secret.keys()].sort().map((name) => redactedSecret(edge.secret.get(name) as Secret));
  return { text: stringify(out, { lineWidth: 0, sortMapEntries: false }), problems: checkResources(edge) };
}

function redactedSecret(secret: Secret): Record<string, unknown> {
  const chain = secret.tls_certificate?.certificate_chain?.inline_bytes;
  const key = secret.tls_certificate?.private_key?.inline_bytes;
  let certificate = 'none';
  if (chain) {
    const pem = Buffer.from(chain as Uint8Array).toString('utf8');
    const x509 = new X509Certificate(pem);
    certificate = `${x509.subject.replace(/\n/g, ', ')}; sha256 ${createHash('sha256').update(pem).digest('hex').slice(0, 16)}`;
  }
  return {
    name: secret.name,
    certificate,
    private_key: key ? `<${Buffer.from(key as Uint8Array).length} bytes, not shown>` : 'none',
  };
}
