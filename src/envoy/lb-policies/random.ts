// LB policy plug-in "random": Random choice (Envoy only).
import type { LbPolicyPlugin } from './lb-policy';

export const random: LbPolicyPlugin = {
  policy: 'random',
  apply(cluster) {
    cluster.lb_policy = 'RANDOM';
  },
};
