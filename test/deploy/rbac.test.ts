// The shipped RBAC grants exactly what kxds's code calls: every API call found in src/ is allowed by the
// ClusterRole or the leader-election Role, and every granted (group, resource, verb) is used by some call;
// the certificate issuer's write rules name its own objects.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { k8sCleanCheckout, kustomize, type K8sObject } from './render';
import { pathResource, scanApiCalls } from './api-calls';
import { issuerSecretNames } from '../../src/certs/in-cluster-secrets';
import { SECRET_NAMES } from '../../src/certs/output';
import { GATEWAY_API_CRD_NAMES } from '../../src/model/gateway-api';

const SETTINGS = { namespace: 'kxds', service: 'kxds', trustDomain: 'cluster.local' };

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const key = (group: string, resource: string, verb: string) => `${group || 'core'} ${resource} ${verb}`;

function granted(objects: readonly K8sObject[]): Set<string> {
  const out = new Set<string>();
  for (const role of objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
    for (const rule of (role as unknown as { rules: PolicyRule[] }).rules)
      for (const group of rule.apiGroups)
        for (const resource of rule.resources)
          for (const verb of rule.verbs) out.add(key(group, resource, verb));
  }
  return out;
}

test('the ClusterRole and Role cover every API call kxds makes, and nothing more', async () => {
  const objects = kustomize(k8sCleanCheckout());
  const { calls, unresolved } = scanApiCalls();
  assert.deepEqual(unresolved, [], 'every API call in src/ maps to a resource and verb');
  const needed = new Map<string, string>();
  for (const call of calls) needed.set(key(call.group, call.resource, call.verb), call.where);
  const grants = granted(objects);
  const missing = [...needed].filter(([k]) => !grants.has(k)).map(([k, where]) => `${k} (used at ${where})`);
  const unused = [...grants].filter((k) => !needed.has(k));
  assert.deepEqual(missing, [], 'calls the RBAC does not allow');
  assert.deepEqual(unused, [], 'grants no code uses');
});

test('no wildcards; Secrets beyond list and watch only for the issuer, by name but for create', () => {
  const objects = kustomize(k8sCleanCheckout());
  for (const role of objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
    for (const rule of (role as unknown as { rules: PolicyRule[] }).rules) {
      for (const field of [rule.apiGroups, rule.resources, rule.verbs])
        assert.ok(!field.includes('*'), role.metadata.name);
      if (!rule.resources.includes('secrets')) continue;
      const verbs = [...rule.verbs].sort().join(' ');
      if (verbs === 'list watch') continue;
      assert.equal(role.metadata.name, 'kxds-certificates', `${role.kind} ${role.metadata.name}: ${verbs}`);
      // RBAC cannot name the object of a create; every other verb names the issuer's own Secrets.
      if (verbs === 'create') assert.deepEqual([role.kind, rule.resourceNames], ['ClusterRole', undefined]);
      else {
        assert.equal(verbs, 'get update');
        assert.deepEqual(
          rule.resourceNames,
          role.kind === 'Role' ? issuerSecretNames(SETTINGS) : [SECRET_NAMES.sidecar],
        );
      }
    }
  }
});

test("the issuer's rules are its own objects, with the webhook configuration by name", () => {
  const objects = kustomize(k8sCleanCheckout());
  const rules = (kind: string) =>
    (
      objects.find((o) => o.kind === kind && o.metadata.name === 'kxds-certificates') as unknown as {
        rules: PolicyRule[];
      }
    ).rules;
  assert.deepEqual(rules('Role')[1], {
    apiGroups: ['apps'],
    resources: ['deployments'],
    resourceNames: ['kxds-edge'],
    verbs: ['patch'],
  });
  assert.deepEqual(rules('ClusterRole')[0], {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['mutatingwebhookconfigurations'],
    resourceNames: ['kxds-sidecar-injector'],
    verbs: ['get', 'patch'],
  });
});

test('CRDs are readable by name only: the Gateway API CRDs kxds watches for their bundle version', () => {
  const role = kustomize(k8sCleanCheckout()).find(
    (o) => o.kind === 'ClusterRole' && o.metadata.name === 'kxds',
  ) as unknown as { rules: PolicyRule[] };
  const crdRules = role.rules.filter((r) => r.resources.includes('customresourcedefinitions'));
  assert.deepEqual(crdRules, [
    {
      apiGroups: ['apiextensions.k8s.io'],
      resources: ['customresourcedefinitions'],
      resourceNames: [...GATEWAY_API_CRD_NAMES],
      verbs: ['list', 'watch'],
    },
  ]);
});

test('API paths map to the RBAC resource and subresource', () => {
  assert.deepEqual(pathResource('/api/v1/namespaces/{}/events'), {
    group: '',
    resource: 'events',
    named: false,
  });
  assert.deepEqual(pathResource('/apis/networking.k8s.io/v1/namespaces/{}/ingresses/{}/status'), {
    group: 'networking.k8s.io',
    resource: 'ingresses/status',
    named: true,
  });
  assert.deepEqual(pathResource('/api/v1/namespaces'), { group: '', resource: 'namespaces', named: false });
  assert.deepEqual(pathResource('/apis/coordination.k8s.io/v1/namespaces/{}/leases/{}'), {
    group: 'coordination.k8s.io',
    resource: 'leases',
    named: true,
  });
});

test('the scanner finds raw requests, client-node methods and informers, and reports what it cannot map', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-scan-'));
  fs.writeFileSync(
    path.join(dir, 'sample.ts'),
    [
      'const base = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;',
      "await client.request('DELETE', `${base}/${name}`);",
      "const resource = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };",
      'const scope = { path: collectionPath(resource, ns) };',
      'await api.patchMutatingWebhookConfiguration({ name, body });',
      'await api.replaceNamespacedIngressStatus({ name, namespace, body });',
      "await client.request('GET', somewhere());",
    ].join('\n'),
  );
  const { calls, unresolved } = scanApiCalls(dir);
  const found = new Set(
    calls.filter((c) => c.where !== 'WATCHED_RESOURCES').map((c) => key(c.group, c.resource, c.verb)),
  );
  assert.deepEqual([...found].sort(), [
    'admissionregistration.k8s.io mutatingwebhookconfigurations patch',
    'coordination.k8s.io leases delete',
    'core configmaps list',
    'core configmaps watch',
    'networking.k8s.io ingresses/status update',
  ]);
  assert.deepEqual(unresolved, [
    `${path.relative(path.resolve(__dirname, '..', '..', '..'), path.join(dir, 'sample.ts'))}:7: GET somewhere()`,
  ]);
});
