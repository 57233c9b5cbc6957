// The real `kxds validate` for CI: files, directories and standard input; kinds kxds does not read are
// skipped and counted; one line (or JSON finding) per mistake; exit 0 clean, 1 findings, 2 could not run.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runKxdsToEnd } from '../helpers/cli-process';
import type { ObjectStatus } from '../../src/ir/status';
import type { ValidationReport } from '../../src/validate/report';

const SERVICE_WITH_WARNING = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, annotations: {kxds.io/load-balancer: fastest}}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080}]
endpoints: [{addresses: [10.0.0.1], conditions: {ready: true}}]
`;

/** What `kubectl kustomize` prints for a typical application: kinds kxds reads and kinds it does not. */
const APP = `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {replicas: 2}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
`;

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-validate-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('warnings print with their reason, exit 0; --strict makes them findings; JSON carries the statuses', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'apps'));
  fs.writeFileSync(path.join(dir, 'apps', 'web.yaml'), SERVICE_WITH_WARNING);
  const ok = await runKxdsToEnd(['validate', '--manifests', dir]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(
    ok.stdout,
    /^warning: Service shop\/web: annotation kxds\.io\/load-balancer.*\(InvalidAnnotation\)$/m,
  );
  assert.match(ok.stdout, /1 files, 2 objects, 0 errors, 1 warnings/);

  assert.equal((await runKxdsToEnd(['validate', dir, '--strict'])).code, 1);

  const json = await runKxdsToEnd(['validate', dir, '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as ValidationReport & { statuses: ObjectStatus[] };
  assert.equal(report.resources.proxyless?.cluster, 1);
  assert.deepEqual(report.statuses[0]?.ref, { group: '', kind: 'Service', namespace: 'shop', name: 'web' });
  assert.deepEqual(report.findings, [
    {
      severity: 'warning',
      object: 'Service shop/web',
      reason: 'InvalidAnnotation',
      message: report.statuses[0]?.conditions[0]?.message,
    },
  ]);
});

test('kubectl kustomize output on stdin: unread kinds are skipped and counted, the rest is checked', async () => {
  const result = await runKxdsToEnd(['validate', '-f', '-', '--output', 'json'], APP);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as ValidationReport;
  assert.equal(report.files, 1);
  assert.equal(report.objects, 1, 'the Service');
  assert.deepEqual(report.skipped, {
    total: 4,
    byType: {
      'v1 ServiceAccount': 1,
      'apps/v1 Deployment': 2,
      'apiextensions.k8s.io/v1 CustomResourceDefinition': 1,
    },
  });
  assert.deepEqual(report.findings, []);
  assert.equal(report.resources.proxyless?.cluster, 1, 'the Service beside the Deployments is translated');

  const text = await runKxdsToEnd(['validate', '-'], APP);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /skipped 4 documents of kinds kxds does not read: v1 ServiceAccount \(1\), apps\/v1 Deployment \(2\)/,
  );
});

test('one line per mistake across files, a directory and stdin; exit 1', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'ports.yml');
  fs.writeFileSync(
    file,
    'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{name: x, port: 0}, {name: y, port: 70000}]}\n',
  );
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(tree);
  fs.writeFileSync(path.join(tree, 'broken.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: x\n');
  fs.writeFileSync(
    path.join(tree, 'app.json'),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }),
  );
  // The same Service on stdin and in a file: a duplicate, named with both places.
  const stdin = 'apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {}\n';
  fs.writeFileSync(path.join(tree, 'b.yaml'), stdin);
  const result = await runKxdsToEnd(['validate', file, '-f', tree, '-f', '-'], stdin);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const errors = result.stdout.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(errors.length, 4, errors.join('\n'));
  assert.equal(
    errors[0],
    `error: ${file}: Service default/a (document 1): spec.ports[0].port must be an integer from 1 to 65535, got 0`,
  );
  assert.equal(
    errors[1],
    `error: ${file}: Service default/a (document 1): spec.ports[1].port must be an integer from 1 to 65535, got 70000`,
  );
  assert.match(errors[2] ?? '', /^error: .*tree\/broken\.yaml: document 1: invalid YAML: \S/);
  assert.equal(errors[3], `error: <stdin>: Service default/b: also defined in ${path.join(tree, 'b.yaml')}`);
  assert.match(result.stdout, /skipped 1 document of kinds kxds does not read: apps\/v1 Deployment \(1\)/);
});

test('exit 2 when it cannot run: a missing path, no input, an unknown flag, a bad --output', async () => {
  const missing = await runKxdsToEnd(['validate', '/nonexistent/kxds-manifests']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/kxds-manifests: ENOENT/);
  const none = await runKxdsToEnd(['validate']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /nothing to validate/);
  assert.equal((await runKxdsToEnd(['validate', '--no-such-flag', '.'])).code, 2);
  assert.equal((await runKxdsToEnd(['validate', '--output', 'xml', '.'])).code, 2);
  assert.equal((await runKxdsToEnd(['validate', '--help'])).code, 0);
});

test('the JSON shape documented in docs/debugging.md is the one printed', async () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../../docs/debugging.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Validating in CI'));
  const documented = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '{}') as ValidationReport;
  const result = await runKxdsToEnd(['validate', '-', '-o', 'json'], `${APP}---\n${SERVICE_WITH_WARNING}`);
  const printed = JSON.parse(result.stdout) as ValidationReport;
  assert.deepEqual(Object.keys(printed), Object.keys(documented));
  assert.deepEqual(Object.keys(printed.skipped), Object.keys(documented.skipped));
  assert.deepEqual(Object.keys(printed.findings[0] ?? {}), Object.keys(documented.findings[1] ?? {}));
});

test('Gateway API CRD documents among the manifests give the GatewayClass its SupportedVersion', async () => {
  const crd = (plural: string, version: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: ${version}}
spec:
  group: gateway.networking.k8s.io
  names: {kind: X, plural: ${plural}}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`;
  const gatewayClass = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: kxds}
spec: {controllerName: kxds.io/gateway-controller}
`;
  const supportedVersion = async (input: string) => {
    const result = await runKxdsToEnd(['validate', '-f', '-', '-o', 'json'], input);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as ValidationReport;
    const status = report.gatewayStatuses.find((s) => s.kind === 'GatewayClass')?.status as {
      conditions: { type: string; status: string; reason: string; message: string }[];
    };
    return status.conditions.find((c) => c.type === 'SupportedVersion');
  };
  const known = await supportedVersion(
    [crd('gatewayclasses', 'v1.6.1'), crd('httproutes', 'v1.6.1'), gatewayClass].join('---\n'),
  );
  assert.deepEqual([known?.status, known?.reason], ['True', 'SupportedVersion']);
  const old = await supportedVersion([crd('gatewayclasses', 'v1.5.0'), gatewayClass].join('---\n'));
  assert.deepEqual([old?.status, old?.reason], ['False', 'UnsupportedVersion']);
  assert.match(old?.message ?? '', /gatewayclasses\.gateway\.networking\.k8s\.io is v1\.5\.0/);
  const none = await supportedVersion(gatewayClass);
  assert.deepEqual([none?.status, none?.reason], ['Unknown', 'UnknownVersion']);
});
