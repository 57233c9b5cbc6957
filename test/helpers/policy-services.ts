// The two Services the proxyless policy tests call, with real loopback backends: "sticky" (ClientIP
// affinity, three healthy greeters) and "flaky" (outlier detection by failure percentage, two healthy
// greeters and one that fails every call), served by an in-process kxds.
import type { TestContext } from 'node:test';
import { SubjectSource } from './subject-source';
import { startControlPlane, type TestControlPlane } from './control-plane';
import { startBackends, startFailingGreeter } from './greeters';
import { endpointSlice, service } from './k8s-fixtures';

const GRPC_PORT = [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }];

/** Ejects a host failing more than half its calls, checked every second (A50 failure percentage). */
export const OUTLIER_ANNOTATIONS = {
  'kxds.io/outlier-failure-percentage': '50',
  'kxds.io/outlier-failure-percentage-min-hosts': '3',
  'kxds.io/outlier-failure-percentage-request-volume': '5',
  'kxds.io/outlier-interval': '1s',
  'kxds.io/outlier-base-ejection-time': '60s',
  'kxds.io/outlier-max-ejection-percent': '50',
};

/** Starts the backends and kxds; everything stops after the test. `flakyExtra` adds annotations. */
export async function startPolicyServices(
  t: TestContext,
  flakyExtra: Record<string, string> = {},
): Promise<TestControlPlane> {
  const backends = await startBackends(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
  t.after(() => backends.stop());
  const failing = await startFailingGreeter(`127.0.0.5:${backends.port}`);
  t.after(() => failing.forceShutdown());
  const slice = (name: string, ips: string[]) =>
    endpointSlice(
      'demo',
      name,
      `${name}-1`,
      [{ name: 'grpc', port: backends.port }],
      ips.map((ip) => ({ ip })),
    );
  const source = new SubjectSource();
  source.upsert(
    service('demo', 'sticky', GRPC_PORT, { sessionAffinity: 'ClientIP' }),
    slice('sticky', ['127.0.0.2', '127.0.0.3', '127.0.0.4']),
    service('demo', 'flaky', GRPC_PORT, {}, { ...OUTLIER_ANNOTATIONS, ...flakyExtra }),
    slice('flaky', ['127.0.0.2', '127.0.0.3', '127.0.0.5']),
  );
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  return cp;
}
