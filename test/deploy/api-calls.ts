// Derives, from kxds's own source, every Kubernetes API call it can make, as RBAC triples
// (apiGroup, resource[/subresource], verb). Three shapes are recognised:
//  - raw requests through KubeClient: a call whose first argument is an HTTP verb literal and whose second is
//    a path (a literal, a template, a const holding one, or collectionPath(resource, ...));
//  - client-node API methods (listNamespacedX, readNamespacedLease, patchNamespacedIngressStatus, ...);
//  - informers: every WATCHED_RESOURCES entry, `path: collectionPath(...)` scopes and makeInformer paths
//    (list + watch).
//  - gatewayObjectPath(...) (src/sources/gateway-status.ts): one object of any Gateway API kind that has a
//    status, so every such kind of GATEWAY_API_KINDS;
//  - infraCollectionPath(...) (src/sources/gateway-provisioner.ts): the collection of any kind the Gateway
//    provisioner makes (ServiceAccount, ConfigMap, Deployment, Service);
// A request path it cannot resolve is reported, so a new kind of call cannot slip past the RBAC test.
// GETs of the non-resource URLs Kubernetes grants every identity by default (ClusterRole
// system:public-info-viewer: /version, /healthz, /livez, /readyz) need no rule and are skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WATCHED_RESOURCES } from '../../src/sources/watched-resources';
import { GATEWAY_API_GROUP, GATEWAY_API_KINDS } from '../../src/model/gateway-api';
import { REPO } from './render';

const PUBLIC_INFO_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** What infraCollectionPath() resolves to, expanded to each collection the Gateway provisioner uses. */
const INFRA_COLLECTION = '/{infra-collection}';
const INFRA_COLLECTIONS = [
  '/api/v1/serviceaccounts',
  '/api/v1/configmaps',
  '/apis/apps/v1/deployments',
  '/api/v1/services',
];

/** The placeholder plural gatewayObjectPath() resolves to, expanded to every Gateway API kind with a status. */
const GATEWAY_PLURAL = '{gateway-api-kind}';
const GATEWAY_STATUS_PLURALS = Object.entries(GATEWAY_API_KINDS)
  .filter(([kind]) => kind !== 'ReferenceGrant')
  .map(([, row]) => row.plural);

export interface ApiCall {
  group: string;
  resource: string;
  verb: string;
  /** file:line of the call, for messages. */
  where: string;
}

export interface ScanResult {
  calls: ApiCall[];
  unresolved: string[];
}

interface ResourceRef {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

/** What the informer loop requests with its own scope, whose resources are found from the scopes. */
const INFORMER_SCOPE_PATHS = new Set(['scope.path']);

/** client-node method name parts -> resource, for the kinds kxds could touch. */
const CLIENT_NODE_KINDS: Readonly<Record<string, [group: string, plural: string]>> = {
  Service: ['', 'services'],
  Pod: ['', 'pods'],
  Namespace: ['', 'namespaces'],
  Secret: ['', 'secrets'],
  Event: ['', 'events'],
  ConfigMap: ['', 'configmaps'],
  EndpointSlice: ['discovery.k8s.io', 'endpointslices'],
  Ingress: ['networking.k8s.io', 'ingresses'],
  IngressClass: ['networking.k8s.io', 'ingressclasses'],
  Lease: ['coordination.k8s.io', 'leases'],
  MutatingWebhookConfiguration: ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations'],
};

const CLIENT_NODE_VERBS: Readonly<Record<string, string>> = {
  list: 'list',
  read: 'get',
  create: 'create',
  patch: 'patch',
  replace: 'update',
  delete: 'delete',
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The argument (or initializer) text starting at `from`, up to the first top-level `,`, `)` or `;`. */
function argumentAt(text: string, from: number): string {
  let depth = 0;
  let inString: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === inString) inString = undefined;
      else if (inString === '`' && c === '$' && text[i + 1] === '{') {
        // A substitution: skip to its closing brace.
        let braces = 0;
        for (i++; i < text.length; i++) {
          if (text[i] === '{') braces++;
          else if (text[i] === '}' && --braces === 0) break;
        }
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') inString = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return text.slice(from, i).trim();
      depth--;
    } else if ((c === ',' || c === ';') && depth === 0) return text.slice(from, i).trim();
  }
  return text.slice(from).trim();
}

function constInitializer(text: string, name: string): string | undefined {
  const match = new RegExp(`\\bconst ${name}(?:\\s*:[^=]+)?\\s*=\\s*`).exec(text);
  return match ? argumentAt(text, match.index + match[0].length).replace(/;$/, '') : undefined;
}

function resourceRef(expr: string, text: string, watched: readonly ResourceRef[]): ResourceRef | undefined {
  const literal = /^\{([^}]*)\}$/s.exec(expr);
  if (literal) {
    const field = (key: string) => new RegExp(`${key}:\\s*(['"])([^'"]+)\\1`).exec(literal[1]!)?.[2];
    const apiVersion = field('apiVersion');
    const plural = field('plural');
    return apiVersion && plural
      ? { apiVersion, plural, namespaced: /namespaced:\s*true/.test(literal[1]!) }
      : undefined;
  }
  const byKind = /^watchedResource\(\s*'(\w+)'\s*\)$/.exec(expr);
  if (byKind) {
    const kind = byKind[1]!;
    return (watched as (ResourceRef & { kind?: string })[]).find((r) => r.kind === kind);
  }
  if (/^\w+$/.test(expr)) {
    const init = constInitializer(text, expr);
    return init ? resourceRef(init, text, watched) : undefined;
  }
  return undefined;
}

function collectionPathOf(ref: ResourceRef): string {
  const prefix = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  return `${prefix}/${ref.plural}`;
}

/** A path expression as a string with `{}` for unknown parts; undefined when it cannot be resolved. */
function resolvePath(
  expr: string,
  text: string,
  watched: readonly ResourceRef[],
  depth = 0,
): string | undefined {
  if (depth > 5) return undefined;
  const quoted = /^(['"])(.*)\1$/s.exec(expr);
  if (quoted) return quoted[2];
  if (expr.startsWith('`') && expr.endsWith('`')) {
    return expr.slice(1, -1).replace(/\$\{([^}]*(?:\([^)]*\))?[^}]*)\}/g, (_m, inner: string) => {
      const name = inner.trim();
      if (/^\w+$/.test(name)) {
        const init = constInitializer(text, name);
        const resolved = init ? resolvePath(init, text, watched, depth + 1) : undefined;
        if (resolved?.startsWith('/')) return resolved;
      }
      return '{}';
    });
  }
  if (/^infraCollectionPath\(/.test(expr)) return INFRA_COLLECTION;
  if (/^gatewayObjectPath\(/.test(expr)) return `/apis/${GATEWAY_API_GROUP}/v1/${GATEWAY_PLURAL}/{}`;
  const collection = /^collectionPath\(/.exec(expr);
  if (collection) {
    const ref = resourceRef(argumentAt(expr, collection[0].length), text, watched);
    return ref ? collectionPathOf(ref) : undefined;
  }
  if (/^\w+$/.test(expr)) {
    const init = constInitializer(text, expr);
    return init ? resolvePath(init, text, watched, depth + 1) : undefined;
  }
  return undefined;
}

/** /api/v1/namespaces/{}/events -> ['', 'events', named=false]; adds /status-like subresources. */
export function pathResource(
  apiPath: string,
): { group: string; resource: string; named: boolean } | undefined {
  const segments = apiPath.split('?')[0]!.split('/').filter(Boolean);
  let rest: string[];
  let group: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1]!;
    rest = segments.slice(3);
  } else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [plural, name, sub] = rest;
  if (!plural) return undefined;
  return { group, resource: sub ? `${plural}/${sub}` : plural, named: name !== undefined };
}

function verbOf(method: string, named: boolean): string {
  switch (method) {
    case 'GET':
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    default:
      return named ? 'delete' : 'deletecollection';
  }
}

/** Scans src/ (without generated code), or another folder, for every Kubernetes API call. */
export function scanApiCalls(srcDir = path.join(REPO, 'src')): ScanResult {
  const watched: readonly (ResourceRef & { kind?: string })[] = WATCHED_RESOURCES;
  const calls: ApiCall[] = [];
  const unresolved: string[] = [];
  const add = (apiPath: string, verbs: string[], where: string): void => {
    const parsed = pathResource(apiPath);
    if (!parsed) return void unresolved.push(`${where}: not an API path: ${apiPath}`);
    for (const verb of verbs) calls.push({ group: parsed.group, resource: parsed.resource, verb, where });
  };
  for (const ref of watched) add(collectionPathOf(ref), ['list', 'watch'], 'WATCHED_RESOURCES');

  for (const file of sourceFiles(srcDir)) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(REPO, file);
    const lineOf = (index: number) => `${rel}:${text.slice(0, index).split('\n').length}`;

    for (const m of text.matchAll(/\(\s*'(GET|POST|PUT|PATCH|DELETE)'\s*,\s*/g)) {
      const expr = argumentAt(text, m.index + m[0].length);
      if (INFORMER_SCOPE_PATHS.has(expr)) continue;
      const resolved = resolvePath(expr, text, watched);
      if (m[1] === 'GET' && resolved !== undefined && PUBLIC_INFO_PATHS.has(resolved)) continue;
      if (resolved === undefined) unresolved.push(`${lineOf(m.index)}: ${m[1]} ${expr}`);
      else {
        const expanded = resolved.startsWith(INFRA_COLLECTION)
          ? INFRA_COLLECTIONS.map((c) => c + resolved.slice(INFRA_COLLECTION.length))
          : resolved.includes(GATEWAY_PLURAL)
            ? GATEWAY_STATUS_PLURALS.map((plural) => resolved.replace(GATEWAY_PLURAL, plural))
            : [resolved];
        for (const apiPath of expanded) {
          const parsed = pathResource(apiPath);
          if (parsed) add(apiPath, [verbOf(m[1]!, parsed.named)], lineOf(m.index));
          else unresolved.push(`${lineOf(m.index)}: ${m[1]} ${apiPath}`);
        }
      }
    }
    // The module defining WATCHED_RESOURCES builds its informer scopes from those entries (added above).
    const scopesFromWatched = /export const WATCHED_RESOURCES\b/.test(text);
    for (const m of scopesFromWatched ? [] : text.matchAll(/\bpath:\s*(collectionPath\()/g)) {
      const resolved = resolvePath(argumentAt(text, m.index + m[0].length - m[1]!.length), text, watched);
      if (resolved) add(resolved, ['list', 'watch'], lineOf(m.index));
      else unresolved.push(`${lineOf(m.index)}: informer scope path`);
    }
    for (const m of text.matchAll(/\bmakeInformer\(\s*[^,]+,\s*/g)) {
      const resolved = resolvePath(argumentAt(text, m.index + m[0].length), text, watched);
      if (resolved) add(resolved, ['list', 'watch'], lineOf(m.index));
      else unresolved.push(`${lineOf(m.index)}: makeInformer path`);
    }
    const methods =
      /\.(list|read|create|patch|replace|delete)(Namespaced)?([A-Z][A-Za-z]*?)(Status)?(ForAllNamespaces)?\(/g;
    for (const m of text.matchAll(methods)) {
      const kind = CLIENT_NODE_KINDS[m[3]!];
      if (!kind) continue;
      calls.push({
        group: kind[0],
        resource: m[4] ? `${kind[1]}/status` : kind[1],
        verb: CLIENT_NODE_VERBS[m[1]!]!,
        where: lineOf(m.index),
      });
    }
  }
  return { calls, unresolved };
}
