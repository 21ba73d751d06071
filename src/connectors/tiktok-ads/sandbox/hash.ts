/**
 * Deterministic hashing for the seed and the generated report data. Everything the sandbox reports is a
 * pure function of ids and dates, so two servers (or two runs) agree to the cent without shared state.
 */
import { hash53 } from '../../../sandbox/label-random.ts';

export { hash53, seededRandom } from '../../../sandbox/label-random.ts';

/**
 * A 16-digit numeric id for a label, unique within `used`. TikTok ids are numeric; 16 digits below
 * 2^53 stay exact when TikTok sends them as JSON numbers (as it does for some report fields).
 */
export function numericId(label: string, prefix: string, used: Set<string>): string {
  for (let attempt = 0; ; attempt += 1) {
    const digits = 16 - prefix.length;
    const id = `${prefix}${String(hash53(`${label}/${attempt}`) % 10 ** digits).padStart(digits, '0')}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}
