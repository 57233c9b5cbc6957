// Loads the AdmissionReview fixtures in test/webhook/fixtures (read from the source tree, not dist).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AdmissionReview } from '../../src/webhook/admission-review';
import type { InjectionSettings } from '../../src/webhook/settings';

export interface FixtureExpectation {
  action: 'inject' | 'skip' | 'refuse' | 'pass';
  reason?: string;
  mode?: 'native' | 'classic';
  capture?: 'explicit' | 'iptables';
  initContainers?: string[];
  containers?: string[];
  warnings?: string[];
  resources?: { requests: Record<string, string>; limits: Record<string, string> };
  maxHeapBytes?: number;
}

export interface Fixture {
  name: string;
  description: string;
  namespaceLabels?: Record<string, string>;
  settings?: Partial<InjectionSettings>;
  review: AdmissionReview & { request: NonNullable<AdmissionReview['request']> };
  expect: FixtureExpectation;
}

export const FIXTURE_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'webhook', 'fixtures');

export function loadFixtures(): Fixture[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      ...(JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as Omit<Fixture, 'name'>),
    }));
}
