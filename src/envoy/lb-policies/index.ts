// The LB policy plug-ins, registered explicitly (one file each): adding a policy is one file and one line.
import type { LbPolicy } from '../../ir/clusters';
import type { LbPolicyPlugin } from './lb-policy';
import { leastRequest } from './least-request';
import { maglev } from './maglev';
import { random } from './random';
import { ringHash } from './ring-hash';
import { roundRobin } from './round-robin';

export type { LbPolicyPlugin } from './lb-policy';

const PLUGINS: Readonly<Record<LbPolicy, LbPolicyPlugin>> = {
  'round-robin': roundRobin,
  'least-request': leastRequest,
  random,
  'ring-hash': ringHash,
  maglev,
};

export function lbPolicyPlugin(policy: LbPolicy): LbPolicyPlugin {
  return PLUGINS[policy];
}
