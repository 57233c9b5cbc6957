// LB policy plug-in "maglev": Maglev consistent hashing (Envoy only).
import type { LbPolicyPlugin } from './lb-policy';

export const maglev: LbPolicyPlugin = {
  policy: 'maglev',
  apply(cluster) {
    cluster.lb_policy = 'MAGLEV';
  },
};
