// Warning Events: new translation warnings about Ingresses and Services become Events on those objects, only
// on the leader, once while they persist; a new leader reports the warnings current when it takes over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { parseObjectRef, WarningEvents, WARNING_EVENT_REASON } from '../../src/cluster/warning-events';
import { ModelStore } from '../../src/model/store';
import type { BuildReport } from '../../src/pipeline';
import type { EventSubject } from '../../src/sources/kube-events';
import type { TranslationWarning } from '../../src/translate/ir';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

function build(warnings: TranslationWarning[]): BuildReport {
  return {
    builtAt: new Date(),
    firstEventAt: new Date(),
    events: 1,
    buildSeconds: 0,
    changedGroups: [],
    snapshots: new Map(),
    warnings,
    result: { groups: new Map(), warnings, heldBack: new Map(), servedIngresses: [] },
  };
}

function setup(leader: boolean) {
  const store = new ModelStore();
  store.upsert(service('demo', 'web', [{ port: 80 }]));
  store.upsert(endpointSlice('demo', 'web', 'web-1', [{ port: 80 }], [{ ip: '10.0.0.1' }]));
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

const badWeb = { object: 'Service demo/web', reason: 'bad annotation' };
const badSlice = { object: 'EndpointSlice demo/web-1', reason: 'FQDN' };
const goneService = { object: 'Service demo/gone', reason: 'bad annotation' };

test('parseObjectRef reads "Kind ns/name" and "Kind name"', () => {
  assert.deepEqual(parseObjectRef('Service demo/web'), { kind: 'Service', namespace: 'demo', name: 'web' });
  assert.deepEqual(parseObjectRef('IngressClass kxds'), { kind: 'IngressClass', name: 'kxds' });
  assert.equal(parseObjectRef('nonsense'), undefined);
});

test('the leader posts each new Service/Ingress warning once while it persists', () => {
  const { builds$, posted, events } = setup(true);
  builds$.next(build([badWeb, badSlice, goneService]));
  builds$.next(build([badWeb, badSlice]));
  assert.deepEqual(posted, [`Service demo/web: ${WARNING_EVENT_REASON}: bad annotation`]);
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
