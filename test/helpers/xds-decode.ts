// Decoding helpers for tests: what a DiscoveryResponse carried, by resource name.
import { decodeMessage } from '../../src/xds/encode';
import { lookupType, typeNameOfUrl } from '../../src/xds/protos';

export function decodeAnyBytes(anyBytes: Uint8Array): { typeUrl: string; value: Record<string, unknown> } {
  const anyType = lookupType('google.protobuf.Any');
  const any = anyType.decode(anyBytes) as unknown as { type_url: string; value: Uint8Array };
  return { typeUrl: any.type_url, value: decodeMessage(typeNameOfUrl(any.type_url), any.value) };
}

export function resourceName(value: Record<string, unknown>): string {
  return String(value.name ?? value.cluster_name ?? '');
}

export function namesOf(resources: readonly Uint8Array[]): string[] {
  return resources.map((r) => resourceName(decodeAnyBytes(r).value));
}
