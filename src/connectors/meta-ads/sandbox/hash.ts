/**
 * Deterministic hashing for the generated insights data. Everything the sandbox reports is a pure
 * function of ids and dates, so two servers (or two runs) agree to the cent without sharing state.
 */
import { hash53 } from '../../../sandbox/label-random.ts';

export { hash53, seededRandom } from '../../../sandbox/label-random.ts';

/** A uniform float in [0, 1) for a label, for one-off choices. */
export function unitHash(label: string): number {
  return hash53(label) / 9007199254740992;
}
