// `kxds validate` and Gateway API: the report carries the Gateway statuses exactly as computed (what
// `--output json` prints and /debug/gateway-status serves), counts each Gateway group's resources and checks
// them against Envoy's rules like every other group's. A fake front-end stands in for the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateTexts } from '../../src/validate/report';
import { FakeGatewayFrontend, gatewayIr, irRoute } from '../helpers/gateway-ir';

const web = { namespace: 'infra', name: 'web' };

test('the validate report has the Gateway statuses and the Gateway groups', () => {
  const fake = new FakeGatewayFrontend();
  fake.gateways = [
    { ...web, ir: gatewayIr(web, [irRoute('/', [{ cluster: 'demo/echo/80', weight: 100 }])]) },
  ];
  const status = {
    conditions: [
      { type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 4 },
    ],
  };
  fake.statuses = [{ kind: 'Gateway', namespace: 'infra', name: 'web', generation: 4, status }];
  const report = validateTexts({ texts: [], unreadable: [] }, {}, fake.translate);
  assert.deepEqual(report.gatewayStatuses, fake.statuses);
  assert.deepEqual(report.resources['gateway/infra/web'], {
    listener: 1,
    route: 1,
    cluster: 1,
    endpoint: 1,
    secret: 0,
  });
  assert.equal(report.errors, 0);
});

test("a Gateway group's resource that breaks Envoy's rules is an error naming the group", () => {
  const fake = new FakeGatewayFrontend();
  const ir = gatewayIr(web, [irRoute('/', [{ cluster: 'demo/echo/80', weight: 100 }])]);
  ir.clusters[0]!.connectTimeoutMs = -1; // Envoy requires a positive connect_timeout
  fake.gateways = [{ ...web, ir }];
  const report = validateTexts({ texts: [], unreadable: [] }, {}, fake.translate);
  const finding = report.findings.find((f) => f.severity === 'error');
  assert.ok(finding, JSON.stringify(report.findings));
  assert.match(finding.message, /group gateway\/infra\/web/);
});
