// A FractionalPercent (numerator over HUNDRED, TEN_THOUSAND or MILLION) drawn against the double's random,
// so tests that pass a fixed random get exact outcomes (route runtime_fraction, mirror runtime_fraction).
import type { FractionalPercent } from '../../src/generated/envoy/type/v3/FractionalPercent';

const DENOMINATORS: Readonly<Record<string, number>> = {
  HUNDRED: 100,
  TEN_THOUSAND: 10_000,
  MILLION: 1_000_000,
};

/** True for the share of calls the fraction names: random() in [0, 1) against numerator / denominator. */
export function fractionHits(fraction: FractionalPercent, random: () => number): boolean {
  const denominator = DENOMINATORS[String(fraction.denominator ?? 'HUNDRED')] ?? 100;
  return random() * denominator < Number(fraction.numerator ?? 0);
}
