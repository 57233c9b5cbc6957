// The injected init container runs `kxds bootstrap` with exactly the arguments the webhook wrote; running
// those arguments through the real CLI (with the downward-API variables and labels file it would see)
// must produce the bootstrap `kxds bootstrap --role sidecar` prints for that pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli';
import { bootstrapText } from '../../src/commands/bootstrap-text';
import { injectSidecar } from '../../src/webhook/inject';
import { injectionSettings } from '../../src/webhook/settings';

const settings = injectionSettings(
  { envoyImage: 'envoy', kxdsImage: 'kxds', xdsServer: 'kxds.kxds.svc:18000', ownNamespace: 'kxds' },
  { xdsClientTlsSecret: 'kxds-xds-client' },
);

test('the init container arguments, run by the kxds CLI, write the sidecar bootstrap for the pod', async () => {
  const result = injectSidecar(
    {
      metadata: {
        name: 'web-1',
        labels: { app: 'web', 'kxds.io/inject': 'true' },
        annotations: { 'kxds.io/egress-namespaces': 'shop,shared' },
      },
      spec: { containers: [{ name: 'app' }] },
    },
    { name: 'shop' },
    settings,
  );
  assert.equal(result.action, 'inject');
  if (result.action !== 'inject') return;
  const init = result.pod.spec?.initContainers?.find((c) => c.name === 'kxds-init');
  const args = [...(init?.args ?? [])];

  // Stand-ins for the emptyDir and the downward API volume, at the paths the arguments name.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-init-'));
  const swap = (flag: string, file: string): string => {
    const i = args.indexOf(flag);
    const original = args[i + 1] as string;
    args[i + 1] = path.join(dir, file);
    return original;
  };
  assert.equal(swap('--output-file', 'envoy.yaml'), '/etc/kxds/envoy.yaml');
  assert.equal(swap('--labels-file', 'labels'), '/etc/kxds-podinfo/labels');
  fs.writeFileSync(path.join(dir, 'labels'), 'app="web"\nkxds.io/inject="true"\n');
  const env = {
    KXDS_POD_NAME: 'web-1',
    KXDS_POD_NAMESPACE: 'shop',
    KXDS_POD_IP: '10.0.0.7',
    KXDS_SERVICE_ACCOUNT: 'web',
  };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
  }
  const written = fs.readFileSync(path.join(dir, 'envoy.yaml'), 'utf8');
  const expected = bootstrapText(
    {
      role: 'sidecar',
      xdsServer: 'kxds.kxds.svc:18000',
      output: 'yaml',
      labelsFile: path.join(dir, 'labels'),
      capture: 'explicit',
      egressNamespaces: 'shop,shared',
      maxHeapBytes: Math.floor(256 * 2 ** 20 * 0.8),
      tlsCert: '/etc/kxds-tls/tls.crt',
      tlsKey: '/etc/kxds-tls/tls.key',
      tlsCa: '/etc/kxds-tls/ca.crt',
    },
    env,
  );
  assert.equal(written, expected);
  const doc = parse(written);
  assert.equal(doc.node.id, 'web-1.shop');
  assert.equal(doc.node.metadata['kxds.io/egress-namespaces'], 'shop,shared');
  assert.equal(doc.node.metadata['kxds.io/service-account'], 'web');
  assert.equal(
    doc.static_resources.clusters[0].transport_socket.typed_config.common_tls_context.validation_context
      .trusted_ca.filename,
    '/etc/kxds-tls/ca.crt',
  );
  // The proxy mounts the client certificate Secret where the bootstrap expects it.
  const proxy = result.pod.spec?.initContainers?.find((c) => c.name === 'kxds-proxy');
  assert.ok(proxy?.volumeMounts?.some((m) => m.name === 'kxds-xds-tls' && m.mountPath === '/etc/kxds-tls'));
  assert.ok(result.pod.spec?.volumes?.some((v) => v.name === 'kxds-xds-tls'));
  fs.rmSync(dir, { recursive: true });
});
