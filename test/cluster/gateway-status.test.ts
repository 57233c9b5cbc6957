// The Gateway API status writer against the API server double: statuses reach the status subresource with
// lastTransitionTime kept while a condition holds, nothing is written when nothing changed, a status computed
// for an older generation is not written, a conflict is retried with a fresh read, other controllers' route
// parents are kept and ours removed when a route leaves our Gateways, and a follower writes nothing.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { GatewayStatusWriter } from '../../src/sources/gateway-status';
import { connectKube, type KubeClient } from '../../src/sources/kube-client';
import type { GatewayApiStatus } from '../../src/frontends/gateway/contract';
import { GATEWAY_API_TYPES } from '../k8s-double/resources';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import { startDouble, waitFor as waitUntil } from '../sources/kube-harness';

const waitFor = (predicate: () => boolean) => waitUntil(predicate.toString(), predicate);

const V1 = 'gateway.networking.k8s.io/v1';
const OURS = 'kxds.io/gateway-controller';
const accepted = (status: 'True' | 'False', generation: number, reason = 'Accepted') => ({
  type: 'Accepted',
  status,
  reason,
  message: '',
  observedGeneration: generation,
});

function gatewayStatus(generation: number, status: 'True' | 'False' = 'True'): GatewayApiStatus {
  return {
    kind: 'Gateway',
    namespace: 'infra',
    name: 'web',
    generation,
    status: { conditions: [accepted(status, generation)] },
  };
}

function routeStatus(generation: number): GatewayApiStatus {
  return {
    kind: 'HTTPRoute',
    namespace: 'demo',
    name: 'r',
    generation,
    status: {
      parents: [
        {
          parentRef: { name: 'web', namespace: 'infra' },
          controllerName: OURS,
          conditions: [accepted('True', generation)],
        },
      ],
    },
  };
}

type Conditions = { type: string; status: string; lastTransitionTime: string; observedGeneration: number }[];

describe('Gateway API status writer', () => {
  let double: ApiServerDouble | undefined;
  const writers: GatewayStatusWriter[] = [];
  afterEach(async () => {
    for (const w of writers.splice(0)) await w.stop();
    await double?.stop();
  });

  async function setUp(leader = true, addresses?: (gateway: string) => { type: string; value: string }[]) {
    const started = await startDouble();
    double = started.double;
    double.installResourceTypes(GATEWAY_API_TYPES);
    double.create({
      apiVersion: V1,
      kind: 'Gateway',
      metadata: { name: 'web', namespace: 'infra' },
      spec: { gatewayClassName: 'kxds', listeners: [] },
    });
    double.create({
      apiVersion: V1,
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'demo' },
      spec: { parentRefs: [{ name: 'web', namespace: 'infra' }] },
    });
    // Another controller already reports on the route.
    const route = double.get(V1, 'HTTPRoute', 'r', 'demo')!;
    const theirs = { parentRef: { name: 'other' }, controllerName: 'example.com/other', conditions: [] };
    double.update({ ...route, status: { parents: [theirs] } });
    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    const statuses$ = new Subject<readonly GatewayApiStatus[]>();
    const isLeader$ = new BehaviorSubject(leader);
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const writer = new GatewayStatusWriter({
      client,
      statuses$,
      isLeader$,
      now: () => new Date(clock),
      ...(addresses ? { addresses } : {}),
    });
    writer.start();
    writers.push(writer);
    return { client, statuses$, isLeader$, writer, theirs, tick: () => (clock += 60_000) };
  }

  const gatewayConditions = () =>
    (double!.get(V1, 'Gateway', 'web', 'infra')?.['status'] as { conditions?: Conditions } | undefined)
      ?.conditions;
  const routeParents = () =>
    (
      double!.get(V1, 'HTTPRoute', 'r', 'demo')?.['status'] as
        { parents?: { controllerName: string; conditions: Conditions }[] } | undefined
    )?.parents ?? [];

  test('writes statuses, keeps transition times, and writes nothing when nothing changed', async () => {
    const { statuses$, writer, theirs, tick } = await setUp();
    statuses$.next([gatewayStatus(1), routeStatus(1)]);
    await waitFor(() => gatewayConditions()?.[0]?.status === 'True');
    await writer.idle();
    const t0 = gatewayConditions()?.[0]?.lastTransitionTime;
    assert.equal(t0, '2026-03-01T10:00:00Z');
    assert.deepEqual(
      routeParents().map((p) => p.controllerName),
      ['example.com/other', OURS],
    );
    assert.deepEqual(routeParents()[0], theirs);
    assert.equal(writer.counters.writes, 2);

    // The same statuses again: not even read.
    tick();
    const passes = writer.counters.passes;
    statuses$.next([gatewayStatus(1), routeStatus(1)]);
    await waitFor(() => writer.counters.passes > passes);
    await writer.idle();
    assert.equal(writer.counters.writes, 2);

    // Flipped: a write with a new time.
    statuses$.next([gatewayStatus(1, 'False'), routeStatus(1)]);
    await waitFor(() => gatewayConditions()?.[0]?.status === 'False');
    assert.equal(gatewayConditions()?.[0]?.lastTransitionTime, '2026-03-01T10:01:00Z');
  });

  test('a status for another generation than the object has is not written', async () => {
    const { statuses$, writer } = await setUp();
    const gw = double!.get(V1, 'Gateway', 'web', 'infra')!;
    double!.update({
      ...gw,
      spec: { gatewayClassName: 'kxds', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    assert.equal(
      (double!.get(V1, 'Gateway', 'web', 'infra')!.metadata as { generation?: number }).generation,
      2,
    );
    statuses$.next([gatewayStatus(1)]);
    await waitFor(() => writer.counters.stale > 0);
    await writer.idle();
    assert.equal(gatewayConditions(), undefined);
    statuses$.next([gatewayStatus(2)]);
    await waitFor(() => gatewayConditions()?.[0]?.observedGeneration === 2);
  });

  test('a conflicting write in between is retried with a fresh read, keeping what the other wrote', async () => {
    const started = await setUp();
    // Someone else writes the Gateway between the writer's read and its write, once.
    const original = started.client.request.bind(started.client);
    let interfered = false;
    (started.client as { request: KubeClient['request'] }).request = async (method, path, options) => {
      if (method === 'PUT' && path.includes('/gateways/') && !interfered) {
        interfered = true;
        const gw = double!.get(V1, 'Gateway', 'web', 'infra')!;
        double!.update({ ...gw, metadata: { ...gw.metadata, labels: { touched: 'yes' } } });
      }
      return original(method, path, options);
    };
    started.statuses$.next([gatewayStatus(1)]);
    await waitFor(() => gatewayConditions()?.[0]?.status === 'True');
    assert.equal(started.writer.counters.conflicts, 1);
    const gw = double!.get(V1, 'Gateway', 'web', 'infra')!;
    assert.deepEqual((gw.metadata as { labels?: unknown }).labels, { touched: 'yes' });
  });

  test("a route that leaves our Gateways loses our parent entry; the other controller's stays", async () => {
    const { statuses$, theirs } = await setUp();
    statuses$.next([routeStatus(1)]);
    await waitFor(() => routeParents().length === 2);
    statuses$.next([]);
    await waitFor(() => routeParents().length === 1);
    assert.deepEqual(routeParents(), [theirs]);
  });

  test('a follower writes nothing; it writes once it leads', async () => {
    const { statuses$, isLeader$, writer } = await setUp(false);
    statuses$.next([gatewayStatus(1)]);
    await new Promise((r) => setTimeout(r, 100));
    await writer.idle();
    assert.equal(gatewayConditions(), undefined);
    assert.equal(writer.counters.writes, 0);
    isLeader$.next(true);
    await waitFor(() => gatewayConditions()?.[0]?.status === 'True');
  });

  test("a provisioned Gateway's addresses go into its status; refresh() writes new ones", async () => {
    let address = '203.0.113.7';
    const { statuses$, writer } = await setUp(true, (gw) =>
      gw === 'infra/web' ? [{ type: 'IPAddress', value: address }] : [],
    );
    const addresses = () =>
      (
        double!.get(V1, 'Gateway', 'web', 'infra')?.['status'] as
          { addresses?: { value: string }[] } | undefined
      )?.addresses;
    statuses$.next([gatewayStatus(1)]);
    await waitFor(() => addresses()?.[0]?.value === '203.0.113.7');
    address = '203.0.113.8';
    writer.refresh();
    await waitFor(() => addresses()?.[0]?.value === '203.0.113.8');
  });
});
