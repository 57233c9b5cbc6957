// Shared setup for the end-to-end tests of `kxds serve` against the Kubernetes API server double: the double
// with a kubeconfig, the real CLI process pointed at it, the greeter objects, and polling with deadlines.
import { ApiServerDouble } from '../k8s-double/api-server-double';
import { writeKubeconfig } from '../k8s-double/kubeconfig';
import type { StoredObject } from '../k8s-double/selectors';
import { serveOnFreePorts, type KxdsProcess } from './cli-process';
import { endpointSlice, service } from './k8s-fixtures';

export interface ClusterKxds {
  kxds: KxdsProcess;
  xdsAddress: string;
  adminUrl: string;
}

export async function startDoubleWithKubeconfig(): Promise<{ double: ApiServerDouble; kubeconfig: string }> {
  const double = await ApiServerDouble.start({ bookmarkIntervalMs: 500 });
  return { double, kubeconfig: writeKubeconfig(double.url) };
}

/** `kxds serve --kubeconfig ...` on OS-chosen loopback ports, without the webhook, with short debounce. */
export async function startClusterKxds(kubeconfig: string, extraArgs: string[] = []): Promise<ClusterKxds> {
  const { kxds, xdsAddress, adminAddress } = await serveOnFreePorts([
    '--kubeconfig',
    kubeconfig,
    '--no-webhook',
    '--debounce',
    '20',
    '--max-wait',
    '200',
    '--log-level',
    'debug',
    ...extraArgs,
  ]);
  return { kxds, xdsAddress, adminUrl: `http://${adminAddress}` };
}

export const namespace = (name: string): StoredObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

export function greeterService(name = 'greeter'): StoredObject {
  return service('demo', name, [
    { name: 'grpc', port: 50051, appProtocol: 'grpc' },
  ]) as unknown as StoredObject;
}

/** The greeter's EndpointSlice: 127.0.0.2 and 127.0.0.3 on the backends' port, each ready or not. */
export function greeterSlice(
  port: number,
  ready: { a: boolean; b: boolean },
  name = 'greeter',
): StoredObject {
  return endpointSlice(
    'demo',
    name,
    `${name}-1`,
    [{ name: 'grpc', port }],
    [
      { ip: '127.0.0.2', ready: ready.a },
      { ip: '127.0.0.3', ready: ready.b },
    ],
  ) as unknown as StoredObject;
}

export { eventually, sleep } from './eventually';

/** Test cleanup run last-in first-out, each step awaited: clients go before the servers they talk to. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Keep cleaning up: a failed step must not leave processes or sockets behind.
      }
    }
  }
}

/** SIGKILLs a kxds process and waits until it is gone. */
export async function killKxds(p: ClusterKxds): Promise<void> {
  if (p.kxds.child.exitCode === null && p.kxds.child.signalCode === null) p.kxds.kill('SIGKILL');
  await p.kxds.exited;
}
