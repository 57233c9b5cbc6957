// The IR -> Envoy golden seam: test/golden/envoy/<case>.ir.yaml (IR clusters and endpoints, already shaped
// for a dialect) must build exactly the Envoy resources in <case>.out.yaml, and every one of them must
// pass Envoy's proto rules (checkEnvoyResource). UPDATE_GOLDEN=1 (npm run golden:update) rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { assertGolden } from './golden-file';
import { buildCluster } from '../../src/envoy/cluster';
import { buildLoadAssignment } from '../../src/envoy/endpoint';
import type { IrCluster, IrEndpoints } from '../../src/ir/clusters';
import type { IrListener } from '../../src/ir/listeners';
import { buildApiListenerResources } from '../../src/envoy/api-listener';
import { buildHttpListener } from '../../src/envoy/http/listener';
import { buildRouteConfiguration } from '../../src/envoy/http/route';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { MESSAGE_NAME } from '../../src/xds/types';

const CASES_DIR = resolve(__dirname, '../../../test/golden/envoy');

interface IrCase {
  /** The receiving data plane is a proxyless gRPC client (no HTTP protocol options, no upstream TLS). */
  proxyless?: boolean;
  listeners?: IrListener[];
  clusters?: IrCluster[];
  endpoints?: IrEndpoints[];
}

const cases = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.ir.yaml'))
  .map((f) => f.slice(0, -'.ir.yaml'.length))
  .sort();

test('the envoy seam has cases', () => assert.ok(cases.length >= 3, `only ${cases.length}`));

for (const name of cases) {
  test(`envoy golden: ${name}`, () => {
    const input = parse(readFileSync(join(CASES_DIR, `${name}.ir.yaml`), 'utf8')) as IrCase;
    const shown = (kind: 'listener' | 'route' | 'cluster' | 'endpoint', value: unknown) =>
      decodeMessage(MESSAGE_NAME[kind], encodeMessage(MESSAGE_NAME[kind], value));
    const problems: string[] = [];
    const listeners: unknown[] = [];
    const routes: unknown[] = [];
    for (const ir of input.listeners ?? []) {
      if (ir.kind === 'http') {
        // A clear-text "http" listener (a sidecar's outbound one) and its route configuration.
        const listener = buildHttpListener(ir);
        problems.push(...checkEnvoyResource(MESSAGE_NAME.listener, listener).map((p) => `${ir.name}: ${p}`));
        listeners.push(shown('listener', listener));
        const config = ir.routes ?? { name: ir.name, virtualHosts: [] };
        const route = buildRouteConfiguration(config.name, config.virtualHosts);
        problems.push(...checkEnvoyResource(MESSAGE_NAME.route, route).map((p) => `${config.name}: ${p}`));
        routes.push(shown('route', route));
        continue;
      }
      if (ir.kind !== 'api') throw new Error(`no builder for ${ir.kind} listeners in this seam yet`);
      const built = buildApiListenerResources(ir);
      for (const [name, listener] of built.listeners) {
        problems.push(...checkEnvoyResource(MESSAGE_NAME.listener, listener).map((p) => `${name}: ${p}`));
        listeners.push(shown('listener', listener));
      }
      problems.push(...checkEnvoyResource(MESSAGE_NAME.route, built.route).map((p) => `${ir.routeName}: ${p}`));
      routes.push(shown('route', built.route));
    }
    const clusters = (input.clusters ?? []).map((ir) => {
      const cluster = buildCluster(ir, { proxyless: input.proxyless ?? false });
      problems.push(...checkEnvoyResource(MESSAGE_NAME.cluster, cluster).map((p) => `${ir.name}: ${p}`));
      return shown('cluster', cluster);
    });
    const endpoints = (input.endpoints ?? []).map((ir) => {
      const cla = buildLoadAssignment(ir);
      problems.push(...checkEnvoyResource(MESSAGE_NAME.endpoint, cla).map((p) => `${ir.clusterName}: ${p}`));
      return shown('endpoint', cla);
    });
    assert.deepEqual(problems, [], 'every emitted resource passes checkEnvoyResource');
    const text = stringify({ listeners, routes, clusters, endpoints }, { lineWidth: 0 });
    assertGolden(join(CASES_DIR, `${name}.out.yaml`), text);
  });
}
