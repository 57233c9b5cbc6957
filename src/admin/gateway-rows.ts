// The status page's Gateways table, from the newest build's Gateway API statuses: each Gateway with its
// conditions, its listeners (attached route counts and conditions) and the routes that name it as a parent,
// with whether each route was accepted there. Read from the statuses only, so it shows what would be
// written, in manifests mode as in cluster mode.
import type { GatewayApiStatus } from '../frontends/gateway/contract';
import { GATEWAY_CONTROLLER_NAME } from '../frontends/gateway/contract';

export interface ConditionCell {
  type: string;
  status: string;
  reason: string;
}

export interface GatewayRow {
  namespace: string;
  name: string;
  conditions: ConditionCell[];
  listeners: { name: string; attachedRoutes: number; conditions: ConditionCell[] }[];
  routes: { kind: string; namespace: string; name: string; sectionName?: string; accepted: string }[];
}

interface StatusShape {
  conditions?: ConditionCell[];
  listeners?: { name?: string; attachedRoutes?: number; conditions?: ConditionCell[] }[];
  parents?: {
    controllerName?: string;
    parentRef?: { kind?: string; namespace?: string; name?: string; sectionName?: string };
    conditions?: ConditionCell[];
  }[];
}

const cells = (conditions: ConditionCell[] | undefined): ConditionCell[] =>
  (conditions ?? []).map(({ type, status, reason }) => ({ type, status, reason }));

export function gatewayRows(statuses: readonly GatewayApiStatus[]): GatewayRow[] {
  const rows = new Map<string, GatewayRow>();
  for (const s of statuses) {
    if (s.kind !== 'Gateway') continue;
    const status = s.status as StatusShape;
    rows.set(`${s.namespace ?? ''}/${s.name}`, {
      namespace: s.namespace ?? '',
      name: s.name,
      conditions: cells(status.conditions),
      listeners: (status.listeners ?? []).map((l) => ({
        name: l.name ?? '',
        attachedRoutes: l.attachedRoutes ?? 0,
        conditions: cells(l.conditions),
      })),
      routes: [],
    });
  }
  for (const s of statuses) {
    const parents = (s.status as StatusShape).parents;
    if (!parents) continue;
    for (const parent of parents) {
      const ref = parent.parentRef;
      if (
        parent.controllerName !== GATEWAY_CONTROLLER_NAME ||
        !ref?.name ||
        (ref.kind ?? 'Gateway') !== 'Gateway'
      )
        continue;
      const row = rows.get(`${ref.namespace ?? s.namespace ?? ''}/${ref.name}`);
      const accepted = parent.conditions?.find((c) => c.type === 'Accepted');
      row?.routes.push({
        kind: s.kind,
        namespace: s.namespace ?? '',
        name: s.name,
        ...(ref.sectionName ? { sectionName: ref.sectionName } : {}),
        accepted: accepted ? `${accepted.status} (${accepted.reason})` : 'Unknown',
      });
    }
  }
  return [...rows.values()];
}
