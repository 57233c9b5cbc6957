// Cluster mode wiring: the served Ingresses of each build (starting from the build that was already there)
// drive the Ingress status writer against the API server double; with leader election, a follower writes
// nothing until it leads.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { Subject } from 'rxjs';
import { startClusterMode, type ClusterMode } from '../../src/cluster/cluster-mode';
import { ModelStore } from '../../src/model/store';
import type { BuildReport } from '../../src/pipeline';
import { connectKube } from '../../src/sources/kube-client';
import type { TranslationResult } from '../../src/translate/translate';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import { ingress, startDouble, waitFor } from '../sources/kube-harness';

function build(served: string[]): BuildReport {
  const result: TranslationResult = {
    groups: new Map(),
    statuses: [],
    heldBack: new Map(),
    servedIngresses: served,
    standingGroups: [],
    gatewayStatuses: [],
    consumerNamespaces: [],
  };
  return {
    builtAt: new Date(),
    firstEventAt: new Date(),
    events: 1,
    buildSeconds: 0,
    changedGroups: [],
    snapshots: new Map(),
    statuses: [],
    result,
  };
}

function addressOf(double: ApiServerDouble, name: string): unknown {
  const obj = double.get('networking.k8s.io/v1', 'Ingress', name, 'default');
  return (obj?.['status'] as { loadBalancer?: { ingress?: unknown } } | undefined)?.loadBalancer?.ingress;
}

describe('cluster mode', () => {
  let double: ApiServerDouble | undefined;
  const modes: ClusterMode[] = [];

  afterEach(async () => {
    for (const mode of modes.splice(0)) await mode.stop();
    await double?.stop();
  });

  test('the served Ingresses of each build get the published address; those no longer served are cleared', async () => {
    const started = await startDouble();
    double = started.double;
    for (const name of ['web', 'api']) double.create(ingress(name));
    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    const builds$ = new Subject<BuildReport>();
    // A build that happened before cluster mode started counts too.
    const pipeline = { builds$, lastBuild: build(['default/web']), store: new ModelStore() };
    modes.push(startClusterMode({ pipeline, client, identity: 'solo', publishAddress: '198.51.100.4' }));
    const d = double;
    await waitFor(
      'web has the address',
      () => JSON.stringify(addressOf(d, 'web')) === '[{"ip":"198.51.100.4"}]',
    );
    assert.equal(addressOf(d, 'api'), undefined);

    builds$.next(build(['default/api']));
    await waitFor(
      'api has it, web cleared',
      () => addressOf(d, 'api') !== undefined && addressOf(d, 'web') === undefined,
    );
    const writes = d.requests.filter((r) => r.method === 'PATCH').length;
    builds$.next(build(['default/api'])); // the same set again: no pass, no write
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(d.requests.filter((r) => r.method === 'PATCH').length, writes);
  });

  test('with leader election a replica writes only once it holds the Lease', async () => {
    const started = await startDouble();
    double = started.double;
    double.create(ingress('web'));
    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    const leaderElection = {
      namespace: 'kxds',
      name: 'kxds-leader',
      leaseDurationSeconds: 2,
      renewDeadlineMs: 1500,
      retryPeriodMs: 200,
    };
    const pipeline = {
      builds$: new Subject<BuildReport>(),
      lastBuild: build(['default/web']),
      store: new ModelStore(),
    };
    const first = startClusterMode({
      pipeline,
      client,
      identity: 'first',
      leaderElection,
      publishAddress: '198.51.100.4',
    });
    modes.push(first);
    const d = double;
    await waitFor('first leads and writes', () => first.stats().leader && addressOf(d, 'web') !== undefined);
    const second = startClusterMode({
      pipeline,
      client,
      identity: 'second',
      leaderElection,
      publishAddress: '198.51.100.5',
    });
    modes.push(second);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(second.stats().leader, false);
    assert.equal(
      JSON.stringify(addressOf(d, 'web')),
      '[{"ip":"198.51.100.4"}]',
      'the follower wrote nothing',
    );
    // A clean stop releases the Lease: the second takes over at its next try, well before the lease expires.
    await first.stop();
    modes.splice(modes.indexOf(first), 1);
    // The double holds the new address before the writer has its response and counts the write: wait for both.
    await waitFor(
      'second leads, writes its address and counts the write',
      () =>
        second.stats().leader &&
        JSON.stringify(addressOf(d, 'web')) === '[{"ip":"198.51.100.5"}]' &&
        (second.stats().ingressStatus?.writes ?? 0) >= 1,
    );
    assert.equal(second.stats().ingressStatus?.writes, 1);
  });
});
