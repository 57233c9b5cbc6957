// `kxds proxy-status` from a CSDS answer (protobuf JSON, see csds-client.ts): one row per connected proxy
// with its role and node group, and per xDS type SYNCED (every resource ACKed at the version kxds holds),
// STALE (sent, not yet ACKed, or ACKed at an older version), NACKED (with the NACK's text) or "-" (none).
import type { JsonValue } from '../xds/proto-json';
import { KIND_BY_TYPE_URL, type ResourceKind } from '../xds/types';

export const TYPE_COLUMNS: [ResourceKind, string][] = [
  ['listener', 'LDS'],
  ['route', 'RDS'],
  ['cluster', 'CDS'],
  ['endpoint', 'EDS'],
  ['secret', 'SDS'],
];

export type TypeStatus = 'SYNCED' | 'STALE' | 'NACKED' | 'NOT SENT' | '-';

export interface ProxyStatusRow {
  node: string;
  role: string;
  group: string;
  types: Record<ResourceKind, TypeStatus>;
  /** The NACK text per NACKED type. */
  nacks: Partial<Record<ResourceKind, string>>;
}

type Json = { [key: string]: JsonValue };
const obj = (v: JsonValue | undefined): Json => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: JsonValue | undefined): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

function typeStatus(configs: Json[]): TypeStatus {
  if (configs.length === 0) return '-';
  if (configs.some((c) => c.client_status === 'NACKED')) return 'NACKED';
  if (configs.every((c) => c.config_status === 'NOT_SENT')) return 'NOT SENT';
  const synced = (c: Json) =>
    c.config_status === 'NOT_SENT' || (c.config_status === 'SYNCED' && c.client_status === 'ACKED');
  return configs.every(synced) ? 'SYNCED' : 'STALE';
}

export function proxyStatusRows(response: Json): ProxyStatusRow[] {
  return list(response.config).map((config) => {
    const node = obj(config.node);
    const metadata = obj(node.metadata);
    const byKind = new Map<ResourceKind, Json[]>();
    for (const c of list(config.generic_xds_configs)) {
      const kind = KIND_BY_TYPE_URL.get(text(c.type_url));
      if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), c]);
    }
    const types = {} as Record<ResourceKind, TypeStatus>;
    const nacks: ProxyStatusRow['nacks'] = {};
    for (const [kind] of TYPE_COLUMNS) {
      const configs = byKind.get(kind) ?? [];
      types[kind] = typeStatus(configs);
      const nacked = configs.find((c) => c.client_status === 'NACKED');
      if (nacked) nacks[kind] = text(obj(nacked.error_state).details);
    }
    return {
      node: text(node.id),
      role: text(metadata['kxds.io/role']),
      group: text(metadata['kxds.io/group']),
      types,
      nacks,
    };
  });
}

/** The table `kxds proxy-status` prints, then one line per NACK with its text. */
export function proxyStatusTable(rows: ProxyStatusRow[]): string {
  const header = ['NAME', 'ROLE', 'GROUP', ...TYPE_COLUMNS.map(([, c]) => c)];
  const cells = rows.map((r) => [r.node, r.role, r.group, ...TYPE_COLUMNS.map(([k]) => r.types[k])]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const nackLines = rows.flatMap((r) =>
    TYPE_COLUMNS.flatMap(([k, c]) =>
      r.nacks[k] !== undefined ? [`${r.node} NACKED ${c}: ${r.nacks[k]}`] : [],
    ),
  );
  return (
    [line(header), ...cells.map(line), ...(nackLines.length ? ['', ...nackLines] : [])].join('\n') + '\n'
  );
}
