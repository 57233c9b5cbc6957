// Per-object isolation inside translation: a step for one object that throws (a kxds bug, or a shape the
// checks let through) costs that object only. It gets an Accepted=False condition naming the error and is
// left out; every other object is still translated, so one object can never freeze what all others serve.
import type { KubeObject } from '../model/k8s';
import { report, type Statuses } from './findings';

export function isolated<T>(warnings: Statuses, object: KubeObject, step: () => T): T | undefined {
  try {
    return step();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    report(
      warnings,
      object,
      'TranslationFailed',
      `kxds could not translate this object (${message.slice(0, 200)}); it is left out until it changes`,
    );
    return undefined;
  }
}
