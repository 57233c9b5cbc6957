// No dropped requests on change (issue #12, deliverable 9): a Gateway's routes change step by step (a
// backendRef swapped, a rule added, weights split, a rule removed, everything swapped back) while an
// Envoy-like client on a real ADS stream, SotW and delta, applies every response as it arrives. At no instant
// may a route it holds name a cluster it lacks or one still waiting for its endpoints; and once a step has
// converged, the clusters no route uses any more are gone (held back, not leaked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane';
import { SubjectSource } from '../helpers/subject-source';
import { FakeGatewayFrontend, gatewayIr, irRoute } from '../helpers/gateway-ir';
import { EnvoyLikeClient, routedClusters } from '../helpers/envoy-like-client';
import { service } from '../helpers/k8s-fixtures';
import type { IrRoute } from '../../src/ir/http';

const web = { namespace: 'infra', name: 'web' };
const A = 'demo/a/80';
const B = 'demo/b/80';
const C = 'demo/c/80';

/** Each step: the routes of the Gateway, and the clusters the client must end up with. */
const STEPS: { what: string; routes: IrRoute[]; clusters: string[] }[] = [
  { what: 'start on A', routes: [irRoute('/', [{ cluster: A, weight: 1 }])], clusters: [A] },
  { what: 'swap the backendRef to B', routes: [irRoute('/', [{ cluster: B, weight: 1 }])], clusters: [B] },
  {
    what: 'add a rule to C',
    routes: [irRoute('/v2', [{ cluster: C, weight: 1 }]), irRoute('/', [{ cluster: B, weight: 1 }])],
    clusters: [B, C],
  },
  {
    what: 'reorder, and split / between A and B',
    routes: [
      irRoute('/', [
        { cluster: A, weight: 50 },
        { cluster: B, weight: 50 },
      ]),
      irRoute('/v2', [{ cluster: C, weight: 1 }]),
    ],
    clusters: [A, B, C],
  },
  { what: 'remove the rule to C', routes: [irRoute('/', [{ cluster: B, weight: 1 }])], clusters: [B] },
  {
    what: 'swap everything to A and C',
    routes: [irRoute('/', [{ cluster: C, weight: 1 }]), irRoute('/a', [{ cluster: A, weight: 1 }])],
    clusters: [A, C],
  },
];

async function until(what: () => string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Clusters held, endpoints held, clusters the held routes send to: each sorted, as one comparable string. */
function holding(client: EnvoyLikeClient): string {
  const config = client.held.route.get('infra/web/8080');
  const routed = [...new Set(config ? routedClusters(config) : [])].sort();
  return JSON.stringify([
    [...client.held.cluster.keys()].sort(),
    [...client.held.endpoint.keys()].sort(),
    routed,
  ]);
}

async function runSequence(
  protocol: 'sotw' | 'delta',
  cp: TestControlPlane,
  fake: FakeGatewayFrontend,
  source: SubjectSource,
) {
  const client = new EnvoyLikeClient(cp.address, protocol, {
    id: `gw-${protocol}`,
    metadata: { 'kxds.io/role': 'edge', 'kxds.io/gateway': 'infra/web' },
  });
  try {
    for (const [i, step] of STEPS.entries()) {
      fake.gateways = [{ ...web, ir: gatewayIr(web, step.routes) }];
      source.upsert(service('demo', `bump-${protocol}-${i}`, [{ name: 'http', port: 80 }]));
      // Converged: exactly the step's clusters and their endpoints are held, and the routes use all of them.
      const wanted = JSON.stringify([step.clusters, step.clusters, step.clusters]);
      await until(
        () => `${protocol} "${step.what}" (holding ${holding(client)})`,
        () => holding(client) === wanted,
      );
    }
    assert.deepEqual(client.violations, [], `${protocol}: a route named a cluster the node lacked`);
    assert.ok(client.responses > STEPS.length * 3, 'every step went over the wire');
  } finally {
    client.close();
  }
}

for (const protocol of ['sotw', 'delta'] as const) {
  test(`${protocol}: no instant where a held route names a missing or warming cluster`, async (t) => {
    const fake = new FakeGatewayFrontend();
    fake.gateways = [{ ...web, ir: gatewayIr(web, STEPS[0]!.routes) }];
    const source = new SubjectSource();
    source.synced();
    const cp = await startControlPlane(source, undefined, 5, {}, { gatewayFrontend: fake.translate });
    t.after(() => cp.stop());
    await cp.pipeline.whenReady();
    await runSequence(protocol, cp, fake, source);
  });
}
