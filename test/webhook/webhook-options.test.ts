// The webhook's `kxds serve` flags and the server options they produce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { silentLogger } from '../../src/log';
import { addWebhookOptions, type WebhookFlags } from '../../src/commands/webhook-options';
import { webhookServerOptions } from '../../src/commands/webhook-setup';

function parse(args: string[]): WebhookFlags {
  const command = addWebhookOptions(new Command('serve').exitOverride());
  command.parse(args, { from: 'user' });
  return command.opts<WebhookFlags>();
}

const deps = { namespaceLabels: () => ({}), logger: silentLogger };

test('serve webhook flags: defaults give native sidecars dialing kxds in its namespace', () => {
  const options = webhookServerOptions(parse(['--kxds-namespace', 'mesh']), deps);
  assert.equal(options.address, '0.0.0.0:8443');
  assert.equal(options.certFile, undefined);
  assert.equal(options.settings.xdsServer, 'kxds.mesh.svc:18000');
  assert.equal(options.settings.nativeSidecars, true);
  assert.equal(options.settings.ownNamespace, 'mesh');
  assert.ok(options.generatedHosts?.includes('kxds.mesh.svc'));
});

test('serve webhook flags as the shipped manifests pass them', () => {
  const flags = parse([
    '--webhook-cert=/tls/tls.crt',
    '--webhook-key=/tls/tls.key',
    '--envoy-image=envoy:x',
    '--kxds-image=kxds:y',
    '--sidecar-xds-server=kxds.kxds.svc:18000',
    '--sidecar-xds-tls-secret=kxds-client-tls',
    '--no-native-sidecars',
    '--proxy-ready-timeout=30',
  ]);
  // Neither --webhook nor --no-webhook: serve decides (on against a cluster, off with --manifests).
  assert.equal(flags.webhook, undefined);
  const options = webhookServerOptions(flags, deps);
  assert.equal(options.certFile, '/tls/tls.crt');
  assert.equal(options.settings.envoyImage, 'envoy:x');
  assert.equal(options.settings.kxdsImage, 'kxds:y');
  assert.equal(options.settings.xdsClientTlsSecret, 'kxds-client-tls');
  assert.equal(options.settings.nativeSidecars, false);
  assert.equal(options.settings.proxyReadyTimeoutSeconds, 30);
  assert.equal(parse(['--no-webhook']).webhook, false);
  assert.equal(parse(['--webhook']).webhook, true);
});

test('bad webhook flags name the flag', () => {
  assert.throws(
    () => webhookServerOptions(parse(['--sidecar-xds-server', 'nope']), deps),
    /--sidecar-xds-server "nope"/,
  );
  assert.throws(
    () => webhookServerOptions(parse(['--proxy-ready-timeout', '0']), deps),
    /--proxy-ready-timeout "0"/,
  );
});
