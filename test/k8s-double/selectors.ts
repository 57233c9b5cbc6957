// Field and label selector matching for the API server double: the equality subset real clients use
// ("a=b", "a==b", "a!=b", comma-separated), plus label existence ("key", "!key") and "key in (a,b)".

export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Field selector paths the double understands; an unknown path is a 400, as on a real server. */
function fieldValue(obj: StoredObject, path: string): string | undefined {
  switch (path) {
    case 'metadata.name':
      return obj.metadata.name;
    case 'metadata.namespace':
      return obj.metadata.namespace ?? '';
    case 'type':
      return typeof obj['type'] === 'string' ? obj['type'] : '';
    case 'spec.nodeName': {
      const spec = obj['spec'] as { nodeName?: string } | undefined;
      return spec?.nodeName ?? '';
    }
    default:
      return undefined;
  }
}

export class SelectorError extends Error {}

export type Selector = (obj: StoredObject) => boolean;

export function parseFieldSelector(selector: string | null): Selector {
  if (!selector) return () => true;
  const terms = selector.split(',').map((term) => {
    const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!match) throw new SelectorError(`invalid field selector term "${term}"`);
    const [, path = '', op, value] = match;
    return { path: path.trim(), negate: op === '!=', value: value ?? '' };
  });
  return (obj) =>
    terms.every(({ path, negate, value }) => {
      const actual = fieldValue(obj, path);
      if (actual === undefined) throw new SelectorError(`field label not supported: ${path}`);
      return negate ? actual !== value : actual === value;
    });
}

export function parseLabelSelector(selector: string | null): Selector {
  if (!selector) return () => true;
  // Split on commas that are not inside "in (...)" sets.
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  const tests = terms.map((raw): ((labels: Record<string, string>) => boolean) => {
    const term = raw.trim();
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const key = m[1] ?? '';
      const values = (m[3] ?? '').split(',').map((v) => v.trim());
      const isIn = m[2] === 'in';
      return (labels) => (key in labels && values.includes(labels[key] ?? '')) === isIn;
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term);
    if (m) {
      const key = m[1] ?? '';
      const value = m[3] ?? '';
      return m[2] === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(term);
    if (m) {
      const key = m[2] ?? '';
      return m[1] ? (labels) => !(key in labels) : (labels) => key in labels;
    }
    throw new SelectorError(`invalid label selector term "${term}"`);
  });
  return (obj) => tests.every((test) => test(obj.metadata.labels ?? {}));
}
