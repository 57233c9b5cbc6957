// The injector's small parts: quantities, proxy resources, policy order, iptables rules, the classic wait, review parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity } from '../../src/webhook/quantity';
import { resolveProxyResources } from '../../src/webhook/proxy-resources';
import { DEFAULT_PROXY_RESOURCES, injectionSettings } from '../../src/webhook/settings';
import { injectionDecision } from '../../src/webhook/policy';
import { iptablesRules, waitForProxyCommand } from '../../src/webhook/sidecar-containers';
import { parseAdmissionReview } from '../../src/webhook/admission-review';
import { handleAdmission } from '../../src/webhook/admission-handler';
import { injectSidecar } from '../../src/webhook/inject';
import { createLogger } from '../../src/log';

test('parseQuantity reads Kubernetes quantities and rejects anything else', () => {
  assert.equal(parseQuantity('250m'), 0.25);
  assert.equal(parseQuantity('1'), 1);
  assert.equal(parseQuantity('1.5'), 1.5);
  assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
  assert.equal(parseQuantity('1G'), 1e9);
  assert.equal(parseQuantity('1e3'), 1000);
  for (const bad of ['', 'lots', '1MB', '1 Mi', 'Mi', '1.2.3', '--1'])
    assert.equal(parseQuantity(bad), undefined, bad);
});

test('resolveProxyResources: defaults, overrides, heap at 80% of the memory limit, and every error at once', () => {
  const defaults = resolveProxyResources({}, DEFAULT_PROXY_RESOURCES);
  assert.deepEqual(defaults, {
    valid: true,
    value: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '256Mi' },
      maxHeapBytes: Math.floor(256 * 2 ** 20 * 0.8),
    },
  });
  const limited = resolveProxyResources({ 'kxds.io/proxy-memory-limit': '1Gi' }, DEFAULT_PROXY_RESOURCES);
  assert.ok(limited.valid && limited.value.maxHeapBytes === Math.floor(2 ** 30 * 0.8));
  const bad = resolveProxyResources(
    { 'kxds.io/proxy-cpu': '0', 'kxds.io/proxy-memory': 'x' },
    DEFAULT_PROXY_RESOURCES,
  );
  assert.equal(bad.valid, false);
  assert.deepEqual(!bad.valid && bad.errors.length, 2);
});

test('policy: opt-outs win, in order', () => {
  const settings = injectionSettings({
    envoyImage: 'e',
    kxdsImage: 'k',
    xdsServer: 'x:1',
    ownNamespace: 'mesh',
  });
  const enabled = { name: 'shop', labels: { 'kxds.io/inject': 'enabled' } };
  const pod = (labels: Record<string, string>, hostNetwork = false) => ({
    metadata: { labels },
    spec: { containers: [{ name: 'a' }], hostNetwork },
  });
  assert.equal(injectionDecision(pod({}), enabled, settings).inject, true);
  assert.equal(
    injectionDecision(pod({}), { name: 'shop', labels: { 'kxds.io/inject': 'true' } }, settings).inject,
    false,
    'namespace wants "enabled"',
  );
  assert.equal(injectionDecision(pod({ 'kxds.io/inject': 'false' }), enabled, settings).inject, false);
  assert.equal(injectionDecision(pod({ 'kxds.io/inject': 'true' }, true), enabled, settings).inject, false);
  assert.match(
    injectionDecision(pod({ 'kxds.io/inject': 'true' }), { name: 'mesh' }, settings).reason,
    /kxds's own/,
  );
  assert.match(
    injectionDecision(pod({ 'kxds.io/inject': 'true' }), { name: 'kube-node-lease' }, settings).reason,
    /never injected/,
  );
  assert.equal(
    injectionDecision(pod({ 'kxds.io/inject': 'true' }), { name: 'plain' }, settings).inject,
    true,
  );
});

test('iptables rules exempt Envoy (uid 1337), loopback and the health port before redirecting', () => {
  const rules = iptablesRules();
  const outbound = rules.filter((r) => r.includes('KXDS_OUTBOUND'));
  const uid = outbound.findIndex((r) => r.includes('--uid-owner 1337 -j RETURN'));
  const redirect = outbound.findIndex((r) => r.includes('REDIRECT --to-ports 15001'));
  assert.ok(uid >= 0 && redirect > uid, 'uid exemption precedes the outbound redirect');
  const inbound = rules.filter((r) => r.includes('-A KXDS_INBOUND'));
  assert.ok(
    inbound.findIndex((r) => r.includes('--dport 15021 -j RETURN')) <
      inbound.findIndex((r) => r.includes('15006')),
  );
});

test('the classic postStart wait is bounded and speaks HTTP/1.1 (Envoy refuses HTTP/1.0 by default)', () => {
  const [shell, flag, script] = waitForProxyCommand(30);
  assert.equal(shell, '/bin/bash');
  assert.equal(flag, '-c');
  assert.match(script ?? '', /seq 1 30/);
  assert.match(script ?? '', /HTTP\/1\.1/);
  assert.match(script ?? '', /exit 1$/);
});

test('parseAdmissionReview names every problem with its field path', () => {
  const result = parseAdmissionReview({
    apiVersion: 'admission.k8s.io/v1beta1',
    kind: 'AdmissionReview',
    request: { uid: 3, object: [] },
  });
  assert.equal(result.valid, false);
  assert.deepEqual(!result.valid && result.errors.map((e) => e.split(':')[0]), [
    'apiVersion',
    'request.uid',
    'request.object',
  ]);
  assert.equal(parseAdmissionReview([]).valid, false);
});

test('an unknown namespace is logged and decided on the pod label alone', () => {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  const settings = injectionSettings({
    envoyImage: 'e',
    kxdsImage: 'k',
    xdsServer: 'x:1',
    ownNamespace: 'kxds',
  });
  const request = (uid: string, labels: Record<string, string>) => ({
    uid,
    kind: { kind: 'Pod' },
    namespace: 'fresh',
    operation: 'CREATE',
    object: { metadata: { name: uid, labels }, spec: { containers: [{ name: 'app' }] } },
  });
  const options = { settings, namespaceLabels: () => undefined, logger };
  assert.equal(handleAdmission(request('a', { 'kxds.io/inject': 'true' }), options).patchType, 'JSONPatch');
  assert.equal(handleAdmission(request('b', {}), options).patch, undefined);
  const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
  assert.deepEqual(
    warnings.map((w) => w.object),
    ['Pod fresh/a', 'Pod fresh/b'],
  );
});

test('a pod already using a name kxds needs is refused with that name', () => {
  const settings = injectionSettings({
    envoyImage: 'e',
    kxdsImage: 'k',
    xdsServer: 'x:1',
    ownNamespace: 'kxds',
  });
  const pod = (spec: Record<string, unknown>) => ({
    metadata: { name: 'p', labels: { 'kxds.io/inject': 'true' } },
    spec: { containers: [{ name: 'app' }], ...spec },
  });
  const byContainer = injectSidecar(
    pod({ initContainers: [{ name: 'kxds-init' }] }),
    { name: 'shop' },
    settings,
  );
  assert.deepEqual(byContainer, {
    action: 'refuse',
    reason: 'Pod shop/p: container name kxds-init is already used by the pod; kxds needs that name',
  });
  const byVolume = injectSidecar(
    pod({ volumes: [{ name: 'kxds-config', emptyDir: {} }] }),
    { name: 'shop' },
    settings,
  );
  assert.ok(byVolume.action === 'refuse' && byVolume.reason.includes('volume name kxds-config'));
});

test('iptables capture in classic mode warns that the pod init containers have no network', () => {
  const settings = injectionSettings(
    { envoyImage: 'e', kxdsImage: 'k', xdsServer: 'x:1', ownNamespace: 'kxds' },
    { nativeSidecars: false },
  );
  const pod = {
    metadata: {
      name: 'p',
      labels: { 'kxds.io/inject': 'true' },
      annotations: { 'kxds.io/capture': 'iptables' },
    },
    spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'migrate' }] },
  };
  const classic = injectSidecar(pod, { name: 'shop' }, settings);
  assert.ok(classic.action === 'inject');
  assert.deepEqual(classic.warnings, [
    'Pod shop/p: with iptables capture in classic mode, init containers run before Envoy and have no network',
  ]);
  const native = injectSidecar(pod, { name: 'shop' }, { ...settings, nativeSidecars: true });
  assert.ok(native.action === 'inject' && native.warnings.length === 0);
});
