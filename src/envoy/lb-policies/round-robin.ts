// LB policy plug-in "round-robin": Plain round robin: what every data plane supports.
import type { LbPolicyPlugin } from './lb-policy';

export const roundRobin: LbPolicyPlugin = {
  policy: 'round-robin',
  apply(cluster) {
    cluster.lb_policy = 'ROUND_ROBIN';
  },
};
