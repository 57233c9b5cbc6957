// Kubernetes Events about objects: posted once per window, never thrown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectKube } from '../../src/sources/kube-client';
import { KubeEventPoster } from '../../src/sources/kube-events';
import { ingress, startDouble } from './kube-harness';

test('posts a Warning Event about an object, once per window; an API failure returns false', async () => {
  const { double, kubeconfigPath } = await startDouble();
  try {
    const client = await connectKube({ kubeconfigPath });
    const target = double.create(ingress('web', 'team-a'));
    const poster = new KubeEventPoster({ client, instance: 'kxds-0' });
    const subject = target as unknown as Parameters<KubeEventPoster['warning']>[0];
    assert.equal(
      await poster.warning(subject, 'BackendNotFound', 'Service team-a/missing does not exist'),
      true,
    );
    assert.equal(
      await poster.warning(subject, 'BackendNotFound', 'Service team-a/missing does not exist'),
      false,
    );
    const events = double.store.list(double.store.resourceOf({ apiVersion: 'v1', kind: 'Event' }));
    assert.equal(events.length, 1);
    const event = events[0] as Record<string, unknown> & { metadata: { namespace?: string; name: string } };
    assert.equal(event.metadata.namespace, 'team-a');
    assert.match(event.metadata.name, /^web\./);
    assert.deepEqual(event['involvedObject'], {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      name: 'web',
      namespace: 'team-a',
      uid: target.metadata['uid'],
      resourceVersion: target.metadata.resourceVersion,
    });
    assert.equal(event['type'], 'Warning');
    assert.equal(event['reason'], 'BackendNotFound');
    assert.equal(event['reportingComponent'], 'kxds');
    double.failWith(503, 10_000);
    assert.equal(await poster.warning(subject, 'Other', 'something else'), false);
    assert.equal(poster.failed, 1);
  } finally {
    await double.stop();
  }
});
