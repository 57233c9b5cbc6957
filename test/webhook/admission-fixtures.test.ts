// Every fixture goes over real HTTPS to a running webhook; the returned patch is applied to the original
// pod and the result checked, then sent again to prove a second pass changes nothing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, type Operation } from 'fast-json-patch';
import { injectSidecar } from '../../src/webhook/inject';
import type { Container, InjectablePod } from '../../src/webhook/pod';
import { startWebhookServer, type WebhookServer } from '../../src/webhook/server';
import { injectionSettings } from '../../src/webhook/settings';
import { loadFixtures, type Fixture } from './fixtures';
import { postJson } from './https-client';

const BASE = {
  envoyImage: 'envoyproxy/envoy:v1.36.2',
  kxdsImage: 'kxds:test',
  xdsServer: 'kxds.kxds.svc:18000',
  ownNamespace: 'kxds',
};
const fixtures = loadFixtures();
const servers = new Map<string, WebhookServer>();
let currentLabels: Record<string, string> | undefined;

function settingsOf(fixture: Fixture) {
  return injectionSettings(BASE, fixture.settings ?? {});
}

async function serverFor(fixture: Fixture): Promise<WebhookServer> {
  const key = JSON.stringify(fixture.settings ?? {});
  let server = servers.get(key);
  if (!server) {
    server = await startWebhookServer({
      address: '127.0.0.1:0',
      settings: settingsOf(fixture),
      namespaceLabels: () => currentLabels,
    });
    servers.set(key, server);
  }
  return server;
}

after(async () => {
  for (const server of servers.values()) await server.close();
});

interface Review {
  response: {
    uid: string;
    allowed: boolean;
    patchType?: string;
    patch?: string;
    status?: { message: string };
    warnings?: string[];
  };
}

async function review(fixture: Fixture, object: unknown): Promise<Review['response']> {
  const server = await serverFor(fixture);
  currentLabels = fixture.namespaceLabels;
  const body = { ...fixture.review, request: { ...fixture.review.request, object } };
  const res = await postJson(server.url, body, server.caPem as string);
  assert.equal(res.status, 200, res.body);
  const parsed = JSON.parse(res.body) as Review & { apiVersion: string; kind: string };
  assert.equal(parsed.apiVersion, 'admission.k8s.io/v1');
  assert.equal(parsed.kind, 'AdmissionReview');
  assert.equal(parsed.response.uid, fixture.review.request.uid, 'uid echoed');
  return parsed.response;
}

function find(list: Container[] | undefined, name: string): Container {
  const found = list?.find((c) => c.name === name);
  assert.ok(found, `container ${name}`);
  return found;
}

function assertInjectedPod(fixture: Fixture, original: InjectablePod, pod: InjectablePod): void {
  const expect = fixture.expect;
  const spec = pod.spec!;
  assert.deepEqual(spec.initContainers?.map((c) => c.name) ?? [], expect.initContainers);
  assert.deepEqual(
    spec.containers?.map((c) => c.name),
    expect.containers,
  );
  const status = JSON.parse(pod.metadata?.annotations?.['kxds.io/status'] ?? 'null');
  assert.equal(status.mode, expect.mode);
  assert.equal(status.capture, expect.capture);
  // Everything the pod had is still there, unchanged.
  for (const [k, v] of Object.entries(original.metadata?.annotations ?? {}))
    assert.equal(pod.metadata?.annotations?.[k], v, k);
  assert.deepEqual(pod.metadata?.labels, original.metadata?.labels);
  assert.equal(pod.metadata?.name, original.metadata?.name);
  assert.equal(pod.metadata?.generateName, original.metadata?.generateName);
  for (const c of original.spec?.containers ?? []) assert.deepEqual(find(spec.containers, c.name), c);
  for (const c of original.spec?.initContainers ?? []) assert.deepEqual(find(spec.initContainers, c.name), c);
  for (const v of original.spec?.volumes ?? []) assert.ok(spec.volumes?.some((w) => w.name === v.name));
  assert.deepEqual(
    spec.volumes?.slice(-2).map((v) => v.name),
    ['kxds-config', 'kxds-podinfo'],
  );

  const native = expect.mode === 'native';
  const proxy = find(native ? spec.initContainers : spec.containers, 'kxds-proxy');
  assert.equal(proxy.image, BASE.envoyImage);
  assert.deepEqual(proxy.args?.slice(0, 2), ['-c', '/etc/kxds/envoy.yaml']);
  assert.deepEqual(proxy.securityContext, {
    runAsUser: 1337,
    runAsGroup: 1337,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  assert.deepEqual(proxy.readinessProbe?.httpGet, { path: '/healthz/ready', port: 15021 });
  if (native) {
    assert.equal(proxy.restartPolicy, 'Always');
    assert.deepEqual(proxy.startupProbe?.httpGet, { path: '/healthz/ready', port: 15021 });
    assert.equal(proxy.lifecycle, undefined);
  } else {
    assert.equal(proxy.restartPolicy, undefined);
    const hook = proxy.lifecycle?.postStart?.exec.command ?? [];
    assert.equal(hook[0], '/bin/bash');
    assert.match(hook[2] ?? '', /\/dev\/tcp\/127\.0\.0\.1\/15021/);
  }
  const resources = expect.resources ?? {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '1', memory: '256Mi' },
  };
  assert.deepEqual(proxy.resources, resources);

  const init = find(spec.initContainers, 'kxds-init');
  assert.equal(init.image, BASE.kxdsImage);
  const args = init.args ?? [];
  assert.deepEqual(args.slice(0, 5), ['bootstrap', '--role', 'sidecar', '--xds-server', BASE.xdsServer]);
  assert.equal(args[args.indexOf('--capture') + 1], expect.capture);
  assert.equal(
    args[args.indexOf('--max-heap-bytes') + 1],
    String(expect.maxHeapBytes ?? Math.floor(256 * 2 ** 20 * 0.8)),
  );
  assert.deepEqual(
    init.env?.map((e) => [e.name, e.valueFrom?.fieldRef.fieldPath]),
    [
      ['KXDS_POD_NAME', 'metadata.name'],
      ['KXDS_POD_NAMESPACE', 'metadata.namespace'],
      ['KXDS_POD_IP', 'status.podIP'],
      ['KXDS_SERVICE_ACCOUNT', 'spec.serviceAccountName'],
    ],
  );

  if (expect.capture === 'iptables') {
    const iptables = find(spec.initContainers, 'kxds-iptables');
    assert.deepEqual((iptables.securityContext?.capabilities as { add: string[] }).add, [
      'NET_ADMIN',
      'NET_RAW',
    ]);
    const script = iptables.command?.[2] ?? '';
    assert.match(script, /--uid-owner 1337 -j RETURN/);
    assert.match(script, /REDIRECT --to-ports 15001/);
    assert.match(script, /REDIRECT --to-ports 15006/);
  } else {
    assert.ok(
      !spec.initContainers?.some((c) => c.name === 'kxds-iptables'),
      'explicit mode needs no privileges',
    );
  }
}

for (const fixture of fixtures) {
  test(`fixture ${fixture.name}: ${fixture.description}`, async () => {
    const original = fixture.review.request.object as InjectablePod;
    const frozen = structuredClone(original);
    const response = await review(fixture, original);
    const direct = injectSidecar(
      original,
      { name: fixture.review.request.namespace ?? '', labels: fixture.namespaceLabels },
      settingsOf(fixture),
    );
    assert.deepEqual(original, frozen, 'injectSidecar does not mutate its input');

    switch (fixture.expect.action) {
      case 'pass':
        assert.equal(response.allowed, true);
        assert.equal(response.patch, undefined);
        return;
      case 'skip':
        assert.equal(response.allowed, true);
        assert.equal(response.patch, undefined);
        assert.equal(direct.action, 'skip');
        assert.ok(
          direct.action === 'skip' && direct.reason.includes(fixture.expect.reason ?? ''),
          JSON.stringify(direct),
        );
        return;
      case 'refuse':
        assert.equal(response.allowed, false);
        assert.equal(response.patch, undefined);
        assert.ok(
          response.status?.message.includes(fixture.expect.reason ?? '<missing>'),
          response.status?.message,
        );
        assert.match(response.status?.message ?? '', /^Pod shop\//, 'the message names the pod');
        return;
      case 'inject': {
        assert.equal(response.allowed, true);
        assert.equal(response.patchType, 'JSONPatch');
        const patch = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as Operation[];
        // "/" in the annotation key is escaped as "~1"; a missing annotations map is added whole.
        const statusPath = original.metadata?.annotations
          ? '/metadata/annotations/kxds.io~1status'
          : '/metadata/annotations';
        assert.ok(
          patch.some((op) => op.op === 'add' && op.path === statusPath),
          JSON.stringify(patch.map((o) => o.path)),
        );
        const injected = applyPatch(structuredClone(original), patch, true, false).newDocument;
        assertInjectedPod(fixture, original, injected);
        assert.equal(direct.action, 'inject');
        assert.deepEqual(direct.action === 'inject' && direct.pod, injected, 'HTTP and direct results agree');
        assert.deepEqual(response.warnings ?? [], direct.action === 'inject' ? direct.warnings : []);
        for (const expected of fixture.expect.warnings ?? []) {
          assert.ok(
            response.warnings?.some((w) => w.includes(expected)),
            `warning mentioning ${expected}`,
          );
        }
        if (fixture.expect.warnings?.length === 0) assert.equal(response.warnings, undefined);
        // The second pass (reinvocationPolicy IfNeeded) changes nothing.
        const again = await review(fixture, injected);
        assert.equal(again.allowed, true);
        assert.equal(again.patch, undefined, 'a second pass returns no patch');
        return;
      }
    }
  });
}

test('there are at least 15 fixtures', () => {
  assert.ok(fixtures.length >= 15, `${fixtures.length} fixtures`);
});
