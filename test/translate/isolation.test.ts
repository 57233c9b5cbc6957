// One object that makes translation throw costs that object only: it gets a TranslationFailed condition and
// everything else is still served. The shapes here are ones the API server would refuse (the informer
// refuses them too, see informer-supervisor.test.ts); translation must survive them all the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrom } from '../../src/model/store';
import { translate } from '../../src/translate/translate';
import type { WatchedObject } from '../../src/model/k8s';
import { backendService, ingress, INGRESS_CLASS } from '../helpers/edge-objects';

const broken = (object: object): WatchedObject => object as unknown as WatchedObject;

test('broken Services and Ingresses are left out with a condition; the good ones are served', () => {
  const objects = [
    INGRESS_CLASS,
    ...(backendService('demo', 'web', 8080, ['10.0.0.1']) as WatchedObject[]),
    ingress('demo', 'web', [{ host: 'good.example.com', paths: [{ path: '/', service: 'web' }] }]),
    broken({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'a', namespace: 'demo' },
      spec: { ports: 'x' },
    }),
    broken({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'j', namespace: 'demo' },
      spec: { ingressClassName: 'kxds', rules: [{ host: 5, http: { paths: [] } }] },
    }),
  ];
  const result = translate(modelFrom(objects));
  const failed = result.statuses.filter((s) => s.conditions.some((c) => c.reason === 'TranslationFailed'));
  assert.deepEqual(failed.map((s) => `${s.ref.kind} ${s.ref.name}`).sort(), ['Ingress j', 'Service a']);
  const edge = result.groups.get('edge');
  assert.ok(edge?.cluster.has('demo/web/80'), 'the good Service is still a cluster');
  const routes = JSON.stringify([...(edge?.route.values() ?? [])]);
  assert.ok(routes.includes('good.example.com'), 'the good Ingress is still routed');
});
