/**
 * Deterministic randomness for the seed and the generated report data: everything the sandbox reports is
 * a pure function of labels (ids and dates), so two servers, or two runs, agree to the micro.
 */
import { createHash } from 'node:crypto';

/** The first 48 bits of the label's SHA-256, as a safe integer. */
export function labelHash(label: string): number {
  return createHash('sha256').update(label).digest().readUIntBE(0, 6);
}

/**
 * A generator of numbers in [0, 1) seeded by a label (xorshift128+ over two 32-bit halves of the label's
 * hash); the same label always yields the same sequence. Never used for secrets.
 */
export function seededRandom(label: string): () => number {
  const digest = createHash('sha256').update(label).digest();
  let a = digest.readUInt32BE(0) | 1;
  let b = digest.readUInt32BE(4) | 1;
  return () => {
    let t = a;
    const s = b;
    a = s;
    t ^= t << 23;
    t ^= t >>> 17;
    t ^= s ^ (s >>> 26);
    b = t;
    return ((a + b) >>> 0) / 4294967296;
  };
}

/** One of `list`, drawn with `random`. */
export function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

/**
 * A numeric id of `digits` digits (no leading zero) for a label, unique within `used`. Google's ids are
 * int64 values sent as decimal strings; customer ids have 10 digits.
 */
export function numericId(label: string, digits: number, used: Set<string>): string {
  const floor = 10 ** (digits - 1);
  for (let attempt = 0; ; attempt += 1) {
    const id = String(floor + (labelHash(`${label}#${attempt}`) % (9 * floor)));
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}
