// `kxds proxy-config TYPE NODE` from a CSDS answer with contents (protobuf JSON, see csds-client.ts): the
// resources of one type one connected node holds, as a summary (name, version, status) or whole. Contents
// arrive with key material already replaced by kxds ("[redacted]").
import type { JsonValue } from '../xds/proto-json';
import { KIND_BY_TYPE_URL, type ResourceKind } from '../xds/types';

export const CONFIG_TYPES: Record<string, ResourceKind> = {
  listeners: 'listener',
  routes: 'route',
  clusters: 'cluster',
  endpoints: 'endpoint',
  secrets: 'secret',
};

type Json = { [key: string]: JsonValue };
const obj = (v: JsonValue | undefined): Json => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: JsonValue | undefined): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

/** The node's generic_xds_configs of that type; throws when the node is not connected. */
export function nodeConfigs(response: Json, node: string, kind: ResourceKind, server: string): Json[] {
  const config = list(response.config).find((c) => text(obj(c.node).id) === node);
  if (!config) throw new Error(`no node "${node}" is connected to ${server} (kxds proxy-status lists them)`);
  return list(config.generic_xds_configs).filter((c) => KIND_BY_TYPE_URL.get(text(c.type_url)) === kind);
}

/** NAME, VERSION, STATUS (ACKED, NACKED with the error, REQUESTED...), one line per resource. */
export function proxyConfigTable(configs: Json[]): string {
  const rows = configs.map((c) => {
    const error = text(obj(c.error_state).details);
    return [text(c.name), text(c.version_info), text(c.client_status) + (error ? `: ${error}` : '')];
  });
  const header = ['NAME', 'VERSION', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => (i < r.length - 1 ? v.padEnd(widths[i] ?? 0) : v))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
