import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { service } from '../helpers/k8s-fixtures';

test(
  '/readyz answers 503 until the first complete snapshot, then 200; /healthz is 200 throughout',
  { timeout: 20000 },
  async (t) => {
    const source = new SubjectSource();
    source.upsert(service('demo', 'a', [{ port: 80 }]));
    const cp = await startControlPlane(source);
    t.after(() => cp.stop());
    assert.equal((await fetch(`${cp.adminUrl}/readyz`)).status, 503);
    assert.equal((await fetch(`${cp.adminUrl}/healthz`)).status, 200);
    source.synced();
    await cp.pipeline.whenReady();
    assert.equal((await fetch(`${cp.adminUrl}/readyz`)).status, 200);
    assert.equal((await fetch(`${cp.adminUrl}/nope`)).status, 404);
  },
);
