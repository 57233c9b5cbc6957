// Where kxds finds its cluster: --kubeconfig, $KUBECONFIG, ~/.kube/config, in-cluster; a clear error otherwise.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chooseKubeConfig } from '../../src/sources/kube-config';
import { connectKube } from '../../src/sources/kube-client';
import { kubeconfigYaml } from '../k8s-double/kubeconfig';

const exists = (present: string[]) => (p: string) => present.includes(p);

test('an explicit --kubeconfig wins and must exist', () => {
  const options = {
    kubeconfigPath: '/etc/kxds/kubeconfig',
    env: { KUBECONFIG: '/other' },
    homeDir: '/home/u',
  };
  assert.deepEqual(chooseKubeConfig(options, exists(['/etc/kxds/kubeconfig', '/other'])), {
    kind: 'files',
    paths: ['/etc/kxds/kubeconfig'],
  });
  assert.throws(
    () => chooseKubeConfig(options, exists([])),
    /kubeconfig \/etc\/kxds\/kubeconfig does not exist/,
  );
});

test('$KUBECONFIG (a path list) comes next, then ~/.kube/config', () => {
  const env = { KUBECONFIG: ['/a', '/missing', '/b'].join(path.delimiter) };
  assert.deepEqual(
    chooseKubeConfig({ env, homeDir: '/home/u' }, exists(['/a', '/b', '/home/u/.kube/config'])),
    {
      kind: 'files',
      paths: ['/a', '/b'],
    },
  );
  assert.deepEqual(chooseKubeConfig({ env: {}, homeDir: '/home/u' }, exists(['/home/u/.kube/config'])), {
    kind: 'files',
    paths: ['/home/u/.kube/config'],
  });
});

test('in-cluster when the service account is mounted, else an error that says what was tried', () => {
  const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1' };
  assert.deepEqual(
    chooseKubeConfig({ env, homeDir: '/home/u', serviceAccountDir: '/sa' }, exists(['/sa/token'])),
    {
      kind: 'in-cluster',
    },
  );
  assert.throws(
    () => chooseKubeConfig({ env: {}, homeDir: '/home/u', serviceAccountDir: '/sa' }, exists([])),
    /no Kubernetes configuration found: no --kubeconfig, no readable \$KUBECONFIG, no \/home\/u\/.kube\/config, and not in a cluster/,
  );
});

test('connectKube reads the file and names where the config came from; a broken file is a clear error', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kxds-kc-'));
  const good = path.join(dir, 'good');
  writeFileSync(good, kubeconfigYaml('http://127.0.0.1:1'));
  const client = await connectKube({ kubeconfigPath: good });
  assert.equal(client.server, 'http://127.0.0.1:1');
  assert.equal(client.origin, `kubeconfig ${good}`);
  const broken = path.join(dir, 'broken');
  writeFileSync(broken, 'clusters: [this is: not valid');
  await assert.rejects(
    connectKube({ kubeconfigPath: broken }),
    new RegExp(`kubeconfig ${broken} is not valid`),
  );
  const empty = path.join(dir, 'empty');
  writeFileSync(empty, 'apiVersion: v1\nkind: Config\n');
  await assert.rejects(connectKube({ kubeconfigPath: empty }), /has no current context with a cluster/);
});
