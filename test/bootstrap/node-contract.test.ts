// The contract between the bootstraps kxds prints and the xDS server that reads them: the node a bootstrap
// declares, sent in a real DiscoveryRequest, is recognized with the right role, namespace and capture mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBootstrap } from '../../src/bootstrap/envoy-bootstrap';
import { buildProxylessBootstrap } from '../../src/bootstrap/proxyless-bootstrap';
import { decodeDiscoveryRequest } from '../../src/server/discovery-codec';
import { groupForNode } from '../../src/server/groups';
import { describeNode, type XdsNode } from '../../src/server/node';
import { lookupType } from '../../src/xds/protos';

function asSeenByServer(node: unknown) {
  const type = lookupType('envoy.service.discovery.v3.DiscoveryRequest');
  const bytes = Buffer.from(type.encode(type.fromObject({ node, type_url: 'x' })).finish());
  return describeNode(decodeDiscoveryRequest(bytes).node as XdsNode, groupForNode);
}

test('a sidecar bootstrap node is a sidecar of its namespace, with its capture mode and egress list', () => {
  const { node } = buildBootstrap({
    role: 'sidecar',
    xdsServer: 'kxds:18000',
    pod: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } },
    capture: 'iptables',
    egressNamespaces: 'shop,shared',
  });
  const info = asSeenByServer(node);
  assert.equal(info.role, 'sidecar');
  assert.equal(info.roleSource, 'metadata');
  assert.equal(info.namespace, 'shop');
  assert.equal(info.transparent, true);
  assert.deepEqual(info.egress, ['shared', 'shop']);
  assert.equal(info.id, 'web-1.shop');
});

test('edge and proxyless bootstrap nodes declare their roles', () => {
  assert.equal(asSeenByServer(buildBootstrap({ role: 'edge', xdsServer: 'kxds:18000' }).node).role, 'edge');
  const proxyless = buildProxylessBootstrap({ xdsServer: 'kxds:18000' }).node;
  const metadata = {
    fields: Object.fromEntries(Object.entries(proxyless.metadata).map(([k, v]) => [k, { stringValue: v }])),
  };
  const info = asSeenByServer({ ...proxyless, metadata });
  assert.equal(info.role, 'proxyless');
  assert.equal(info.roleSource, 'metadata');
});
