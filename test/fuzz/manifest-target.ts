// Fuzzing the manifest reader: valid YAML and JSON manifests with random edits (cut short, repeated lines,
// anchors, junk), and random JSON documents. A crash is parseManifest throwing (it must answer problems);
// config lost is a good file's objects missing from a ManifestSource scan of a directory that also holds
// the last broken inputs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../src/log';
import { parseManifest } from '../../src/sources/manifest-parse';
import { ManifestSource } from '../../src/sources/manifest-source';
import { greeterManifest } from '../helpers/greeter-manifest';
import { count, crash, newReport, type TargetReport } from './report';
import type { Rng } from './random';

const INGRESS_JSON = JSON.stringify({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'demo', annotations: { 'kxds.io/timeout': '5s' } },
  spec: {
    rules: [
      {
        host: 'a.example',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'greeter', port: { number: 50051 } } },
            },
          ],
        },
      },
    ],
  },
});

function randomInput(rng: Rng): string {
  return rng.pick<() => string>([
    () => rng.mutateText(greeterManifest(50051)),
    () => rng.mutateText(INGRESS_JSON),
    () => JSON.stringify(rng.mutateValue(JSON.parse(INGRESS_JSON))),
    () => JSON.stringify(rng.json(4)),
    () => `a: &x [${'*x,'.repeat(rng.int(50))}]\n`,
    () => rng.bytes(300).toString('latin1'),
  ])();
}

async function goodObjectsServed(dir: string): Promise<boolean> {
  const source = new ManifestSource({ dir, logger: silentLogger, rescanIntervalMs: 60_000 });
  const seen = new Set<string>();
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      source.events$.subscribe((event) => {
        if (event.type === 'upsert') seen.add(`${event.object.kind} ${event.object.metadata.name}`);
        if (event.type === 'synced') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } finally {
    await source.stop();
  }
  return seen.has('Service greeter') && seen.has('EndpointSlice greeter-1');
}

export async function fuzzManifests(rng: Rng, inputs: number): Promise<TargetReport> {
  const report = newReport('manifests');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-fuzz-manifests-'));
  try {
    fs.writeFileSync(path.join(dir, 'good.yaml'), greeterManifest(50051));
    for (let i = 0; i < inputs; i++) {
      const text = randomInput(rng);
      report.inputs++;
      try {
        count(report, parseManifest(text).ok ? 'ok' : 'problems');
      } catch (err) {
        count(report, 'threw');
        crash(report, JSON.stringify(text), err instanceof Error ? err.message : String(err));
      }
      if (i >= inputs - 20) fs.writeFileSync(path.join(dir, `fuzz-${i}.yaml`), text);
    }
    if (!(await goodObjectsServed(dir))) report.configLost++;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
