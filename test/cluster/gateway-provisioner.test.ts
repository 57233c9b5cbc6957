// The Gateway provisioner against the API server double: a Gateway of kxds's class gets a ServiceAccount,
// bootstrap ConfigMap, Deployment and Service, each owned by the Gateway (the double has no garbage
// collector, so the ownerReferences are checked and kxds's own clean-up is tested); listener ports below 1024
// are bound at +10000; the GatewayClass parametersRef ConfigMap changes the Service type; the Service's
// load-balancer address becomes the Gateway's address; a Gateway deleted, or of another class, loses them.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { GatewayProvisioner } from '../../src/sources/gateway-provisioner';
import { connectKube } from '../../src/sources/kube-client';
import { ModelStore } from '../../src/model/store';
import type { WatchedObject } from '../../src/model/k8s';
import { GATEWAY_API_TYPES } from '../k8s-double/resources';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import { startDouble, waitFor as waitUntil } from '../sources/kube-harness';

const waitFor = (predicate: () => boolean) => waitUntil(predicate.toString(), predicate);
const V1 = 'gateway.networking.k8s.io/v1';
const KINDS = [
  ['v1', 'ServiceAccount'],
  ['v1', 'ConfigMap'],
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
] as const;

describe('Gateway provisioner', () => {
  let double: ApiServerDouble | undefined;
  const provisioners: GatewayProvisioner[] = [];
  afterEach(async () => {
    for (const p of provisioners.splice(0)) await p.stop();
    await double?.stop();
  });

  test('provisions owned Envoy objects per Gateway of our class and removes them with the Gateway', async () => {
    const started = await startDouble();
    double = started.double;
    double.installResourceTypes(GATEWAY_API_TYPES);
    const model = new ModelStore();
    const put = (obj: Record<string, unknown>) =>
      model.upsert(double!.create(obj as never) as unknown as WatchedObject);
    put({
      apiVersion: V1,
      kind: 'GatewayClass',
      metadata: { name: 'kxds' },
      spec: {
        controllerName: 'kxds.io/gateway-controller',
        parametersRef: { group: '', kind: 'ConfigMap', name: 'gw-params', namespace: 'kxds' },
      },
    });
    put({
      apiVersion: V1,
      kind: 'GatewayClass',
      metadata: { name: 'other' },
      spec: { controllerName: 'example.com/other' },
    });
    put({
      apiVersion: V1,
      kind: 'Gateway',
      metadata: { name: 'web', namespace: 'infra' },
      spec: {
        gatewayClassName: 'kxds',
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP' },
          { name: 'https', port: 8443, protocol: 'HTTPS' },
          // A UDP and a TCP listener on one number: two Service ports, one per protocol.
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    });
    put({
      apiVersion: V1,
      kind: 'Gateway',
      metadata: { name: 'theirs', namespace: 'infra' },
      spec: { gatewayClassName: 'other', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    const gatewayUid = String(double.get(V1, 'Gateway', 'web', 'infra')!.metadata['uid']);

    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    const builds$ = new Subject<unknown>();
    let addressChanges = 0;
    const provisioner = new GatewayProvisioner({
      client,
      model,
      builds$,
      isLeader$: new BehaviorSubject(true),
      bootstrap: (gw) => `node: {metadata: {kxds.io/gateway: ${gw}}}\n`,
      image: 'envoyproxy/envoy:test',
      privilegedPortOffset: 10000,
      onAddresses: () => addressChanges++,
    });
    provisioner.start();
    provisioners.push(provisioner);
    builds$.next(1);
    await waitFor(() => double!.get('v1', 'Service', 'kxds-gw-web', 'infra') !== undefined);
    await provisioner.idle();

    for (const [apiVersion, kind] of KINDS) {
      const obj = double.get(apiVersion, kind, 'kxds-gw-web', 'infra');
      assert.ok(obj, `${kind} created`);
      assert.deepEqual((obj.metadata as { ownerReferences?: unknown }).ownerReferences, [
        {
          apiVersion: V1,
          kind: 'Gateway',
          name: 'web',
          uid: gatewayUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      assert.equal(
        double.get(apiVersion, kind, 'kxds-gw-theirs', 'infra'),
        undefined,
        `${kind}: none for another class`,
      );
    }
    const service = double.get('v1', 'Service', 'kxds-gw-web', 'infra') as unknown as {
      spec: { type: string; ports: { name: string; port: number; targetPort: number; protocol: string }[] };
    };
    assert.equal(service.spec.type, 'LoadBalancer');
    assert.deepEqual(
      service.spec.ports.map((p) => [p.name, p.port, p.targetPort, p.protocol]),
      [
        ['port-53', 53, 10053, 'TCP'],
        ['port-53-udp', 53, 10053, 'UDP'],
        ['port-80', 80, 10080, 'TCP'],
        ['port-8443', 8443, 8443, 'TCP'],
      ],
    );
    const configMap = double.get('v1', 'ConfigMap', 'kxds-gw-web', 'infra') as unknown as {
      data: Record<string, string>;
    };
    assert.match(configMap.data['envoy.yaml'] ?? '', /kxds.io\/gateway: infra\/web/);
    const deployment = double.get('apps/v1', 'Deployment', 'kxds-gw-web', 'infra') as unknown as {
      spec: {
        replicas: number;
        template: {
          spec: { containers: { image: string; ports: { containerPort: number; protocol?: string }[] }[] };
        };
      };
    };
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(deployment.spec.template.spec.containers[0]?.image, 'envoyproxy/envoy:test');
    assert.deepEqual(
      deployment.spec.template.spec.containers[0]?.ports.map(
        (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`,
      ),
      ['10053/TCP', '10053/UDP', '10080/TCP', '8443/TCP', '15021/TCP'],
    );

    // Nothing changed: a pass writes nothing.
    const before = { ...provisioner.counters };
    builds$.next(2);
    await waitFor(() => provisioner.counters.passes > before.passes);
    await provisioner.idle();
    assert.equal(provisioner.counters.created, before.created);
    assert.equal(provisioner.counters.patched, before.patched);

    // The class's parameters ConfigMap: a ClusterIP Service and one replica.
    double.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gw-params', namespace: 'kxds' },
      data: { serviceType: 'ClusterIP', replicas: '1' },
    } as never);
    builds$.next(3);
    await waitFor(
      () =>
        (double!.get('v1', 'Service', 'kxds-gw-web', 'infra') as unknown as typeof service).spec.type ===
        'ClusterIP',
    );
    await waitFor(
      () =>
        (double!.get('apps/v1', 'Deployment', 'kxds-gw-web', 'infra') as unknown as typeof deployment).spec
          .replicas === 1,
    );

    // The Service's load-balancer address is the Gateway's address.
    const stored = double.get('v1', 'Service', 'kxds-gw-web', 'infra')!;
    double.update({ ...stored, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } });
    builds$.next(4);
    await waitFor(() => provisioner.addresses('infra/web')?.[0]?.value === '203.0.113.7');
    assert.deepEqual(provisioner.addresses('infra/web'), [{ type: 'IPAddress', value: '203.0.113.7' }]);
    assert.ok(addressChanges > 0);

    // The Gateway goes: so does everything kxds made for it.
    const gw = double.get(V1, 'Gateway', 'web', 'infra')!;
    double.delete(gw as never);
    model.delete(gw as never);
    builds$.next(5);
    await waitFor(() =>
      KINDS.every(
        ([apiVersion, kind]) => double!.get(apiVersion, kind, 'kxds-gw-web', 'infra') === undefined,
      ),
    );
    await provisioner.idle(); // the counter follows the DELETE response, which can come after the object is gone
    assert.equal(provisioner.counters.deleted, 4);
  });
});
