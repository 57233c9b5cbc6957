// The Kubernetes API source against the API server double, with the real @kubernetes/client-node.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import {
  doubleState,
  namespace,
  opaqueSecret,
  service,
  startDouble,
  startSource,
  tlsSecret,
  waitFor,
} from './kube-harness';

const KINDS = [
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Namespace' },
];

describe('KubeSource', () => {
  let double: ApiServerDouble;
  let kubeconfigPath: string;

  before(async () => {
    ({ double, kubeconfigPath } = await startDouble());
  });
  after(async () => {
    await double.stop();
  });

  test('initial list: every object as an upsert, then exactly one synced', async () => {
    double.create(namespace('default'));
    double.create(service('web'));
    double.create(tlsSecret('web-tls'));
    double.create(opaqueSecret('db-password'));
    const { source, recorder } = await startSource(kubeconfigPath);
    try {
      await waitFor('synced', () => recorder.syncedCount === 1);
      const log = recorder.log;
      assert.equal(log[log.length - 1], 'synced');
      assert.deepEqual(recorder.state(), doubleState(double, KINDS));
      assert.ok(!log.some((l) => l.includes('db-password')), 'an Opaque Secret was emitted');
    } finally {
      await source.stop();
    }
  });
});
