// Consumer mesh routes on sidecars: an HTTPRoute in namespace demo whose parent is Service shop/api decides
// the calls of demo's sidecars to shop/api only; a sidecar of another namespace keeps the Service's own route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ModelStore } from '../../src/model/store';
import { translate } from '../../src/translate/translate';
import { sidecarGroup } from '../../src/xds/node-group';
import type { RouteConfiguration } from '../../src/xds/types';
import { parseCase } from '../golden/golden-case';

const CASE = resolve(__dirname, '../../../test/golden/sidecar/mesh-routes.in.yaml');

function shopApiClusters(namespace: string): string[] {
  const model = new ModelStore();
  for (const obj of parseCase(readFileSync(CASE, 'utf8')).objects) model.upsert(obj);
  const result = translate(model, { requestedGroups: [sidecarGroup(namespace, false)] });
  const routes = result.groups.get(`sidecar/${namespace}`)?.route.get('outbound') as RouteConfiguration;
  const vhost = routes.virtual_hosts?.find((v) => v.name === 'shop/api/80');
  return (vhost?.routes ?? []).map((r) => String(r.route?.cluster));
}

test("a consumer route decides its own namespace's calls, not another's", () => {
  assert.deepEqual(shopApiClusters('demo'), ['shop/api-v2/80']);
  assert.deepEqual(shopApiClusters('elsewhere'), ['shop/api/80']);
});
