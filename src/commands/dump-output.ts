// How `kxds dump` (dump.ts) prints what it received, and the xDS client it receives with: loaded only when
// the command runs, since both pull in protobufjs, gRPC and YAML.
import { stringify } from 'yaml';
import { redactSecrets } from '../admin/redact';
import type { DecodedResponse } from '../client/dump-client';
import { FLAG_OF } from './dump';

export { DumpClient } from '../client/dump-client';
export { channelCredentials } from '../client/channel-credentials';

export function render(value: unknown, output: 'json' | 'yaml'): string {
  return output === 'yaml' ? `---\n${stringify(value)}` : JSON.stringify(value, null, 2) + '\n';
}

export function responseJson(r: DecodedResponse, showSecrets: boolean) {
  return {
    type: FLAG_OF[r.kind],
    version_info: r.version_info,
    type_url: r.type_url,
    nonce: r.nonce,
    resources: showSecrets ? r.resources : redactSecrets(r.resources),
  };
}
