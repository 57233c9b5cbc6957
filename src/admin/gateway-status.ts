// GET /debug/gateway-status: the Gateway API statuses of the newest build as the status subresources would
// hold them (a JSON array of {kind, namespace, name, generation, status}), for manifests mode where there is
// no API server to write them to, and for looking at what the leader writes. lastTransitionTime follows the
// writer's rule (kept while a condition's status holds, see status-merge.ts), counted from this process's
// first build that reported the condition.
import type { AdminView } from './admin-view';
import type { GatewayApiStatus } from '../frontends/gateway/contract';
import { mergeGatewayStatus } from '../frontends/gateway/status-merge';
import { sendJson } from './http-server';

export interface GatewayStatusView {
  current(): readonly GatewayApiStatus[];
  stop(): void;
}

/** The statuses of `computed`, with times carried over from `previous` (matched by kind/namespace/name). */
export function stampGatewayStatuses(
  previous: readonly GatewayApiStatus[],
  computed: readonly GatewayApiStatus[],
  now: string,
): GatewayApiStatus[] {
  const key = (s: GatewayApiStatus) => `${s.kind}/${s.namespace ?? ''}/${s.name}`;
  const before = new Map(previous.map((s) => [key(s), s.status]));
  return computed.map((s) => ({ ...s, status: mergeGatewayStatus(before.get(key(s)), s.status, now) }));
}

export function attachGatewayStatus(app: Pick<AdminView, 'admin' | 'pipeline'>): GatewayStatusView {
  const last = app.pipeline.lastBuild;
  let served: readonly GatewayApiStatus[] = last
    ? stampGatewayStatuses([], last.result.gatewayStatuses, last.builtAt.toISOString())
    : [];
  const subscription = app.pipeline.builds().subscribe((build) => {
    served = stampGatewayStatuses(served, build.result.gatewayStatuses, build.builtAt.toISOString());
  });
  app.admin.route(
    '/debug/gateway-status',
    (_req, res) => sendJson(res, 200, served),
    'Gateway API statuses as kxds computes them: [{kind, namespace, name, generation, status}]',
  );
  return { current: () => served, stop: () => subscription.unsubscribe() };
}
