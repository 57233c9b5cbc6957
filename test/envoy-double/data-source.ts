// An Envoy DataSource's bytes as the double holds it decoded (inline_bytes arrive base64, as JSON bytes do).
// Files and environment variables are not read: kxds sends only inline data, and the support check refuses
// the other specifiers before they get here.
import type { DataSource } from '../../src/generated/envoy/config/core/v3/DataSource';

export function dataSourceBytes(source: DataSource | null | undefined): Buffer {
  if (!source) return Buffer.alloc(0);
  if (source.inline_string !== undefined) return Buffer.from(source.inline_string);
  if (typeof source.inline_bytes === 'string') return Buffer.from(source.inline_bytes, 'base64');
  if (source.inline_bytes) return Buffer.from(source.inline_bytes);
  throw new Error(`envoy-double: a DataSource it cannot read: ${Object.keys(source).join(', ')}`);
}
