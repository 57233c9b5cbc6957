// Fuzzing the sidecar injection webhook over HTTPS: AdmissionReviews with one field replaced by a random
// value, random JSON and raw bytes. Every one must get an answer below 500 (a review that is not a
// well-formed Pod is a 400 with a message); a 5xx or a dropped connection is a crash.
import { startWebhookServer } from '../../src/webhook/server';
import { injectionSettings } from '../../src/webhook/settings';
import { send } from './http-post';
import { count, crash, newReport, type TargetReport } from './report';
import type { Rng } from './random';

const VALID = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'fuzz',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    namespace: 'shop',
    operation: 'CREATE',
    object: {
      metadata: {
        name: 'p',
        labels: { 'kxds.io/inject': 'true' },
        annotations: { 'kxds.io/inject-mode': 'transparent' },
      },
      spec: {
        containers: [{ name: 'app', ports: [{ containerPort: 8080 }] }],
        initContainers: [],
        volumes: [],
      },
    },
  },
};

export async function fuzzWebhook(rng: Rng, inputs: number): Promise<TargetReport> {
  const report = newReport('webhook');
  const settings = injectionSettings({
    envoyImage: 'envoy',
    kxdsImage: 'kxds',
    xdsServer: 'kxds:18000',
    ownNamespace: 'kxds',
  });
  const server = await startWebhookServer({ address: '127.0.0.1:0', settings, maxBodyBytes: 256 * 1024 });
  try {
    const url = `${server.url}${rng.pick(['/mutate', '/inject'])}`;
    while (report.inputs < inputs) {
      const batch = Math.min(8, inputs - report.inputs);
      await Promise.all(
        Array.from({ length: batch }, async () => {
          const body = rng.pick<() => Buffer>([
            () => Buffer.from(JSON.stringify(rng.mutateValue(VALID))),
            () => Buffer.from(JSON.stringify(rng.mutateValue(rng.mutateValue(VALID)))),
            () => Buffer.from(JSON.stringify(rng.json(4))),
            () => rng.bytes(1000),
          ])();
          report.inputs++;
          const answer = await send(url, 'POST', body, { 'content-type': 'application/json' }, server.caPem);
          count(report, answer.startsWith('error') ? 'error' : answer);
          if (answer.startsWith('error') || Number(answer) >= 500)
            crash(report, body.toString('utf8'), answer);
        }),
      );
    }
  } finally {
    await server.close();
  }
  return report;
}
