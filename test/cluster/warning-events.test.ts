// Warning Events: new translation findings about Ingresses and Services become Events on those objects (reason
// = the condition's reason), only on the leader, once while they persist; a new leader reports the findings
// current when it takes over. The Event subject comes from the typed reference, never from a message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { WarningEvents } from '../../src/cluster/warning-events';
import type { ObjectStatus } from '../../src/ir/status';
import { ModelStore } from '../../src/model/store';
import type { BuildReport } from '../../src/pipeline';
import type { EventSubject } from '../../src/sources/kube-events';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

function build(statuses: ObjectStatus[]): BuildReport {
  return {
    builtAt: new Date(),
    firstEventAt: new Date(),
    events: 1,
    buildSeconds: 0,
    changedGroups: [],
    snapshots: new Map(),
    statuses,
    result: {
      groups: new Map(),
      statuses,
      heldBack: new Map(),
      servedIngresses: [],
      standingGroups: [],
      gatewayStatuses: [],
      consumerNamespaces: [],
    },
  };
}

function setup(leader: boolean) {
  const store = new ModelStore();
  store.upsert(service('demo', 'web', [{ port: 80 }]));
  store.upsert(endpointSlice('demo', 'web', 'web-1', [{ port: 80 }], [{ ip: '10.0.0.1' }]));
  store.upsert({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'demo' },
    spec: {},
  });
  const builds$ = new Subject<BuildReport>();
  const isLeader$ = new BehaviorSubject(leader);
  const posted: string[] = [];
  const poster = {
    warning: async (subject: EventSubject, reason: string, message: string) => {
      posted.push(
        `${subject.kind} ${subject.metadata.namespace}/${subject.metadata.name}: ${reason}: ${message}`,
      );
      return true;
    },
  };
  const events = new WarningEvents({ builds$, isLeader$, model: store, poster });
  events.start();
  return { builds$, isLeader$, posted, events };
}

function finding(group: string, kind: string, name: string, reason: string, message: string): ObjectStatus {
  return {
    ref: { group, kind, namespace: 'demo', name },
    conditions: [{ type: 'PartiallyInvalid', status: 'True', reason, message }],
  };
}

const badWeb = finding('', 'Service', 'web', 'InvalidAnnotation', 'bad annotation');
const badSlice = finding('discovery.k8s.io', 'EndpointSlice', 'web-1', 'UnsupportedAddressType', 'FQDN');
const goneService = finding('', 'Service', 'gone', 'InvalidAnnotation', 'bad annotation');
// A Service-named kind of another API group is not the core Service: the group is part of the reference.
const foreignService = finding('example.com', 'Service', 'web', 'InvalidAnnotation', 'not core');

test('the leader posts each new Service/Ingress warning once while it persists', () => {
  const { builds$, posted, events } = setup(true);
  builds$.next(build([badWeb, badSlice, goneService, foreignService]));
  builds$.next(build([badWeb, badSlice]));
  assert.deepEqual(posted, ['Service demo/web: InvalidAnnotation: bad annotation']);
  builds$.next(build([])); // fixed ...
  builds$.next(build([badWeb])); // ... and broken again: a new warning
  assert.equal(posted.length, 2);
  events.stop();
});

test('a follower posts nothing; on becoming the leader it posts the warnings current then', () => {
  const { builds$, isLeader$, posted, events } = setup(false);
  builds$.next(build([badWeb]));
  assert.deepEqual(posted, []);
  isLeader$.next(true);
  assert.equal(posted.length, 1);
  builds$.next(build([badWeb]));
  assert.equal(posted.length, 1);
  events.stop();
});

test('an Ingress finding becomes an Event with its condition reason and message', () => {
  const { builds$, posted, events } = setup(true);
  const ingress: ObjectStatus = {
    ref: { group: 'networking.k8s.io', kind: 'Ingress', namespace: 'demo', name: 'shop' },
    observedGeneration: 3,
    conditions: [
      { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'path /: no Service' },
      { type: 'Conflicted', status: 'True', reason: 'RouteConflict', message: 'path /a: served by another' },
    ],
  };
  builds$.next(build([ingress]));
  assert.deepEqual(posted, [
    'Ingress demo/shop: BackendNotFound: path /: no Service',
    'Ingress demo/shop: RouteConflict: path /a: served by another',
  ]);
  events.stop();
});
