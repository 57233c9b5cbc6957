// Turns a bootstrap into the text a proxy reads. An Envoy bootstrap goes through a real encode (unknown
// fields fail) and back through the protobuf JSON mapping, so what is printed is exactly what the proto
// holds, in the shape Envoy's loader accepts.
import { stringify } from 'yaml';
import { encodeMessage } from '../xds/encode';
import { toProtoJson, type JsonValue } from '../xds/proto-json';
import type { Bootstrap } from '../xds/types';
import type { GrpcXdsBootstrap } from './proxyless-bootstrap';
import type { BootstrapFormat } from './constants';

export { BOOTSTRAP_FORMATS, type BootstrapFormat } from './constants';

/** The Envoy bootstrap as protobuf JSON (snake_case), after an encode/decode round trip. */
export function envoyBootstrapJson(bootstrap: Bootstrap): { [key: string]: JsonValue } {
  const typeName = 'envoy.config.bootstrap.v3.Bootstrap';
  return toProtoJson(typeName, encodeMessage(typeName, bootstrap));
}

export function formatDocument(document: unknown, format: BootstrapFormat): string {
  return format === 'json'
    ? `${JSON.stringify(document, null, 2)}\n`
    : stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function renderEnvoyBootstrap(bootstrap: Bootstrap, format: BootstrapFormat): string {
  return formatDocument(envoyBootstrapJson(bootstrap), format);
}

export function renderProxylessBootstrap(bootstrap: GrpcXdsBootstrap, format: BootstrapFormat): string {
  return formatDocument(bootstrap, format);
}
