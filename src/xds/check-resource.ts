// The one call tests (and `kxds validate`) make for every Envoy resource kxds emits: the protoc-gen-validate
// rules Envoy would enforce plus the proof that nothing is lost in protobuf encoding.
import { checkRoundTrip } from './roundtrip';
import { validateMessage } from './validate';

export interface CheckResourceOptions {
  /** Accept deprecated fields and enum values; by default they are problems, since kxds should not use them. */
  readonly allowDeprecated?: boolean;
}

/**
 * Every problem with one Envoy resource, each as `path: reason`: validation errors first, then deprecated
 * fields (prefixed `deprecated: `), then round-trip differences (prefixed `round trip: `). Empty means fine.
 */
export function checkEnvoyResource(
  typeName: string,
  value: object,
  options: CheckResourceOptions = {},
): string[] {
  const validation = validateMessage(typeName, value);
  const problems = validation.valid ? [] : [...validation.errors];
  if (!options.allowDeprecated) problems.push(...validation.warnings.map((w) => `deprecated: ${w}`));
  problems.push(...checkRoundTrip(typeName, value).map((d) => `round trip: ${d}`));
  return problems;
}
