// How `kxds dump` (dump.ts) prints what it received, and the xDS client it receives with: loaded only when
// the command runs, since both pull in protobufjs, gRPC and YAML.
import { stringify } from 'yaml';
import type { DecodedResponse } from '../client/dump-client';
import { FLAG_OF } from './dump';

export { DumpClient } from '../client/dump-client';
export { channelCredentials } from '../client/channel-credentials';

export function render(value: unknown, output: 'json' | 'yaml'): string {
  return output === 'yaml' ? `---\n${stringify(value)}` : JSON.stringify(value, null, 2) + '\n';
}

/** Key material was already redacted by the client (unless --show-secrets), as CSDS redacts it. */
export function responseJson(r: DecodedResponse) {
  return {
    type: FLAG_OF[r.kind],
    version_info: r.version_info,
    type_url: r.type_url,
    nonce: r.nonce,
    resources: r.resources,
  };
}
