// Gateway API objects through the real CLI: `kxds serve --manifests` loads a directory holding every Gateway
// API kind beside a proxyless Service (served as before: a real grpc-js-xds client gets answers), refuses a
// file whose HTTPRoute breaks a CEL rule with the rule's message while the rest stays in effect, and
// `kxds validate --output json` reports the same refusal as a typed status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { startBackends } from '../helpers/greeters';
import { firstReply, useControlPlane } from '../helpers/xds-client';
import { KXDS_BIN, serveOnFreePorts, waitForHttp } from '../helpers/cli-process';
import { greeterClient } from '../../src/demo/greeter';
import { greeterManifest } from '../helpers/greeter-manifest';
import { EVERY_KIND, HTTP_ROUTE } from '../sources/gateway-api/fixtures';

const RULE_MESSAGE =
  'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both';

/** The fixture HTTPRoute with a rule that both redirects and rewrites, which the CRD's CEL rule forbids. */
function redirectAndRewrite(): object {
  const route = structuredClone(HTTP_ROUTE) as { metadata: { name: string }; spec: { rules: object[] } };
  route.metadata.name = 'both';
  route.spec.rules = [
    {
      filters: [
        { type: 'RequestRedirect', requestRedirect: { statusCode: 301 } },
        { type: 'URLRewrite', urlRewrite: { hostname: 'new.example.com' } },
      ],
    },
  ];
  return route;
}

test(
  'kxds serve --manifests and kxds validate read every Gateway API kind and refuse a CEL violation',
  { timeout: 60000 },
  async (t) => {
    const backends = await startBackends(['127.0.0.2']);
    t.after(() => backends.stop());
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kxds-gwapi-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(dir, 'greeter.yaml'), greeterManifest(backends.port, false));
    await fs.writeFile(path.join(dir, 'gateway-api.yaml'), EVERY_KIND.map((o) => stringify(o)).join('---\n'));

    const { kxds, xdsAddress, adminAddress } = await serveOnFreePorts(['--manifests', dir, '--no-webhook']);
    t.after(() => kxds.kill('SIGKILL'));
    await waitForHttp(`http://${adminAddress}/readyz`);
    const greeterObjects = greeterManifest(backends.port, false).split(/^---$/m).length;
    const loaded = await kxds.waitForLog((l) => l.msg === 'manifest directory loaded');
    assert.equal(loaded.objects, greeterObjects + EVERY_KIND.length, JSON.stringify(loaded));
    assert.ok(!kxds.logs.some((l) => String(l.msg).startsWith('manifest file rejected')));

    useControlPlane(xdsAddress);
    const client = greeterClient('xds:///greeter.demo:50051');
    t.after(() => client.close());
    await firstReply(client);

    // A file with a CEL violation is refused, naming object, field and the CRD's message.
    const bad = path.join(dir, 'bad-route.yaml');
    await fs.writeFile(bad, stringify(redirectAndRewrite()));
    const rejected = await kxds.waitForLog((l) => String(l.msg).startsWith('manifest file rejected'));
    assert.equal(rejected.object, 'HTTPRoute team-a/both');
    assert.equal(rejected.reason, `spec.rules[0].filters: ${RULE_MESSAGE}`);
    await firstReply(client);

    const validate = await promisify(execFile)(
      process.execPath,
      [KXDS_BIN, 'validate', '--manifests', dir, '--output', 'json'],
      {
        timeout: 30000,
      },
    ).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code, stdout: err.stdout ?? '' }),
    );
    assert.equal(validate.code, 1, 'a refused object is an error');
    const report = JSON.parse(validate.stdout) as {
      objects: number;
      statuses: { ref: object; conditions: object[] }[];
    };
    assert.equal(report.objects, greeterObjects + EVERY_KIND.length);
    assert.deepEqual(
      report.statuses.find((s) => (s.ref as { kind: string }).kind === 'HTTPRoute'),
      {
        ref: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-a', name: 'both' },
        conditions: [
          {
            type: 'Accepted',
            status: 'False',
            reason: 'Invalid',
            message: `spec.rules[0].filters: ${RULE_MESSAGE}`,
          },
        ],
      },
    );
  },
);
